using OfflineBackup.Platform;

namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// The descriptors the tool opens through libc itself (for syncfs of the datadir's filesystem,
/// fsync of a directory) are close-on-exec, as .NET's own are: a syncfs can block for long while
/// another thread starts a child (the start command, which becomes mysqld; the freeze watchdog),
/// and that child must not keep a descriptor into the data directory.
/// </summary>
public sealed class InheritedDescriptorTests
{
    [Fact]
    public async Task A_child_started_while_a_directory_is_open_for_a_sync_does_not_inherit_it()
    {
        using var directory = new TempDirectory();
        var fd = LibC.OpenReadOnly(directory.Path);
        Assert.True(fd >= 0, $"open {directory.Path} failed");
        try
        {
            var child = await ChildProcess.RunAsync("ls", ["-l", "/proc/self/fd/"], CancellationToken.None);

            Assert.Equal(0, child.ExitCode);
            Assert.DoesNotContain(directory.Path, child.StandardOutput, StringComparison.Ordinal);
            Assert.Contains(directory.Path, new FileInfo($"/proc/self/fd/{fd}").LinkTarget, StringComparison.Ordinal);
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }
}
