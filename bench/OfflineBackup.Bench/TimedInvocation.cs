using System.Diagnostics;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Bench;

/// <summary>One invocation of the binary: exit code, output, wall time and what /usr/bin/time saw.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error, DateTimeOffset SpawnedAt, TimeSpan Wall, TimeVerbose Usage)
{
    public double PeakRssMiB => Usage.PeakRssKiB / 1024.0;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the real offline-backup binary as cron would (the shared <see cref="ToolProcess"/>), under
/// GNU <c>/usr/bin/time -v</c> for the peak resident memory. Wall time is taken here, from
/// spawning time(1) to its exit: time(1) itself adds about a millisecond.
/// </summary>
public static class TimedInvocation
{
    public const string TimeBinary = "/usr/bin/time";

    public static async Task<ToolResult> RunAsync(
        string binary, IReadOnlyList<string> arguments, string logFile, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var usageFile = Path.Combine(Path.GetTempPath(), $"offline-backup-bench-{Guid.NewGuid():N}.time");
        var tool = new ToolProcess(binary) { LogFile = logFile, Wrapper = [TimeBinary, "-v", "-o", usageFile] };
        try
        {
            var spawnedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            using var process = tool.Start(arguments);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            int exitCode;
            try
            {
                exitCode = await process.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{binary} {string.Join(' ', arguments)} did not finish within {timeout}");
            }

            var wall = clock.Elapsed;
            return new ToolResult(
                exitCode, process.StandardOutput, process.StandardError, spawnedAt, wall,
                TimeVerbose.Parse(await File.ReadAllTextAsync(usageFile, cancellationToken)));
        }
        finally
        {
            File.Delete(usageFile);
        }
    }
}
