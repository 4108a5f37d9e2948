using System.Diagnostics;

namespace OfflineBackup.Bench;

/// <summary>One invocation of the binary: exit code, output, wall time and what /usr/bin/time saw.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error, DateTimeOffset SpawnedAt, TimeSpan Wall, TimeVerbose Usage)
{
    public double PeakRssMiB => Usage.PeakRssKiB / 1024.0;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the real offline-backup binary as cron would, under GNU <c>/usr/bin/time -v</c> for the
/// peak resident memory. Dummy AWS credentials and AWS_EC2_METADATA_DISABLED keep the SDK away
/// from instance metadata; the log goes where the bench reads it. Wall time is taken here,
/// from spawning time(1) to its exit: time(1) itself adds about a millisecond.
/// </summary>
public static class ToolProcess
{
    public const string TimeBinary = "/usr/bin/time";

    public static async Task<ToolResult> RunAsync(
        string binary, IReadOnlyList<string> arguments, string logFile, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var usageFile = Path.Combine(Path.GetTempPath(), $"offline-backup-bench-{Guid.NewGuid():N}.time");
        var start = new ProcessStartInfo(TimeBinary, ["-v", "-o", usageFile, binary, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "not-a-real-secret";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["OFFLINE_BACKUP_LOG_FILE"] = logFile;
        try
        {
            using var process = new Process { StartInfo = start };
            var spawnedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            process.Start();
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{binary} {string.Join(' ', arguments)} did not finish within {timeout}");
            }

            var wall = clock.Elapsed;
            return new ToolResult(
                process.ExitCode, await output, await error, spawnedAt, wall, TimeVerbose.Parse(await File.ReadAllTextAsync(usageFile, cancellationToken)));
        }
        finally
        {
            File.Delete(usageFile);
        }
    }
}
