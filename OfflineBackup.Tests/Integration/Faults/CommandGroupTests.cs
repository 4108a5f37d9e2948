using OfflineBackup.Platform;
using OfflineBackup.Service;

namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// The base of a test class on real process groups: shell commands run as the tool runs its stop
/// and start commands (<see cref="ShellCommand"/>, each in a process group of its own), every
/// group recorded as the tool records it, with a directory of the test's own for their files.
/// After each test every group started is killed and the directory removed.
/// </summary>
public abstract class CommandGroupTests : IDisposable
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();
    private readonly List<int> _groups = [];

    protected string WorkDirectory => _dir.Path;

    protected string PathOf(string name) => Path.Combine(_dir.Path, name);

    /// <summary>
    /// Runs <paramref name="command"/>; its group's identity read as the tool reads it: as the
    /// command starts (none for a command that is gone by then).
    /// </summary>
    protected async Task<(RecordedGroup Group, Task<CommandOutcome> Command)> StartGroupAsync(string command)
    {
        var started = new TaskCompletionSource<RecordedGroup>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = ShellCommand.RunAsync(
            command, TimeSpan.FromMinutes(10), TimeProvider.System, CancellationToken.None, id => started.SetResult(new RecordedGroup(id, CommandGroupIdentity.Of(id))));
        var group = await started.Task.WaitAsync(Patience);
        _groups.Add(group.Id);
        return (group, run);
    }

    /// <summary>The line a command writes to <paramref name="ready"/> once its processes are in place.</summary>
    protected static async Task<string> ReadyAsync(string ready)
    {
        await Poll.UntilAsync(() => File.Exists(ready) && File.ReadAllText(ready).EndsWith('\n'), Patience, $"{ready} was not written");
        return File.ReadAllText(ready).Trim();
    }

    public void Dispose()
    {
        foreach (var group in _groups)
        {
            _ = LibC.Kill(-group, LibC.SigKill);
        }

        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
