using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>--keep: leaves the servers and the double running and tells how to play with them.</summary>
internal static class KeepAlive
{
    public static async Task WaitAsync(ToolWorld world, TextWriter output, CancellationToken cancellationToken)
    {
        var files = world.Files;
        var exports = string.Join(' ', DummyAws.Environment.Select(v => $"{v.Key}={v.Value}"));
        var config = $"--config {files.Config}";
        await output.WriteLineAsync($"""

            sandbox: kept running until Ctrl-C. In another shell:
              export {exports}
              alias offline-backup={world.Binary}
              offline-backup check {config}
              offline-backup list {config}
              offline-backup run --dry-run {config}
              offline-backup run --verbose {config}      # not due again until tomorrow: exit 4
              offline-backup prune --dry-run {config}
              tail -f {files.Log}
            The replica is 127.0.0.1:{world.Pair.Replica.Port} (user monitor, password in {files.PasswordFile});
            the primary 127.0.0.1:{world.Pair.Primary.Port}. Edit {files.Config} to try other settings.
            """);
        await output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync("sandbox: stopping");
        }
    }
}
