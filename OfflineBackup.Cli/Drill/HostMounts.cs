using System.Diagnostics;
using OfflineBackup.Errors;
using OfflineBackup.Platform;

namespace OfflineBackup.Drill;

/// <summary>mount(8) and umount(8) for the drill's scratch mount point, and what /proc says is mounted.</summary>
public static class HostMounts
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>True when <paramref name="directory"/> is itself a mount point (per /proc/self/mountinfo).</summary>
    public static bool IsMountPoint(string directory)
    {
        var full = System.IO.Path.GetFullPath(directory).TrimEnd('/');
        return File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Any(fields => fields.Length > 4 && Unescape(fields[4]) == full);
    }

    public static Task MountAsync(string device, string directory, CancellationToken cancellationToken) =>
        RunAsync("mount", [device, directory], cancellationToken);

    public static Task UnmountAsync(string directory, CancellationToken cancellationToken) =>
        RunAsync("umount", [directory], cancellationToken);

    public static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(ChildStart.Redirected(program, arguments)) ?? throw new BackupException(ExitCodes.DrillFailed, $"{program} did not start");
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var error = process.StandardError.ReadToEndAsync(limit.Token);
        var output = process.StandardOutput.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new BackupException(ExitCodes.DrillFailed, $"{program} {string.Join(' ', arguments)} did not finish within {Limit.TotalMinutes:0} min");
        }

        if (process.ExitCode != 0)
        {
            throw new BackupException(ExitCodes.DrillFailed,
                $"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {(await error.ConfigureAwait(false)).Trim()}{(await output.ConfigureAwait(false)).Trim()}");
        }
    }

    // mountinfo writes space, tab, newline and backslash as octal escapes.
    private static string Unescape(string field) => field
        .Replace("\\040", " ", StringComparison.Ordinal)
        .Replace("\\011", "\t", StringComparison.Ordinal)
        .Replace("\\012", "\n", StringComparison.Ordinal)
        .Replace("\\134", "\\", StringComparison.Ordinal);
}
