namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>--keep: leaves the servers and the double running and tells how to play with them.</summary>
internal static class KeepAlive
{
    public static async Task WaitAsync(SandboxWorld world, ToolProcess tool, TextWriter output, CancellationToken cancellationToken)
    {
        var site = world.Site;
        var exports = string.Join(' ', ToolProcess.Environment.Select(v => $"{v.Key}={v.Value}"));
        var config = $"--config {site.ConfigPath}";
        await output.WriteLineAsync($"""

            sandbox: kept running until Ctrl-C. In another shell:
              export {exports}
              alias offline-backup={tool.Binary}
              offline-backup check {config}
              offline-backup list {config}
              offline-backup run --dry-run {config}
              offline-backup run --verbose {config}      # not due again until tomorrow: exit 4
              offline-backup prune --dry-run {config}
              tail -f {site.LogFile}
            The replica is 127.0.0.1:{world.Pair.Replica.Port} (user monitor, password in {site.PasswordFile});
            the primary 127.0.0.1:{world.Pair.Primary.Port}. Edit {site.ConfigPath} to try other settings.
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
