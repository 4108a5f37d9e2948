using OfflineBackup.Aws;
using OfflineBackup.Pipeline;
using OfflineBackup.Retention;

using OfflineBackup.Errors;

namespace OfflineBackup.Commands;

/// <summary>
/// What <c>run --dry-run</c> prints: the guards as a real run would meet them, then what the
/// run would do. Nothing is stopped, created or deleted; the AWS permission guard's DryRun
/// probes are the only calls that ask EC2 about a change.
/// </summary>
public static class DryRunPlan
{
    public static async Task WriteAsync(CommandSession session, IReadOnlyList<GuardResult> results, int exitCode, IReadOnlyList<Snapshot> inventory)
    {
        var output = session.Output;
        var settings = session.Settings;
        await output.WriteLineAsync("dry run: nothing is stopped, created or deleted");
        foreach (var result in results)
        {
            await output.WriteLineAsync($"  guard {result.Guard,-16} {(result.Passed ? "passed " : "REFUSED")}  {result.Detail}");
        }

        if (exitCode != ExitCodes.Success)
        {
            await output.WriteLineAsync($"a real run would stop here: {ExitCodes.Describe(exitCode)} (exit {exitCode})");
            return;
        }

        var request = SnapshotRequests.For(settings.Instance, session.RunId, session.Services.HostName, session.Services.Clock.GetUtcNow());
        var service = settings.Service;
        await output.WriteLineAsync("a real run would now:");
        await output.WriteLineAsync($"  1. stop replication (STOP REPLICA), refusing if the applier holds temporary tables");
        await output.WriteLineAsync($"  2. stop MySQL with `{service.StopCommand}` and wait up to {Durations.Human(service.StopTimeout)} until {settings.MySql.Host}:{settings.MySql.Port} is closed");
        await output.WriteLineAsync($"  3. CreateSnapshot of {request.VolumeId}: \"{request.Description}\"");
        foreach (var (key, value) in request.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"       tag {key} = {value}");
        }

        await output.WriteLineAsync(service.RestartAfter == Configuration.RestartAfter.Completed
            ? $"  4. wait until the snapshot is completed (at most {Durations.Human(service.SnapshotWaitTimeout)})"
            : "  4. not wait: restart_after is pending, the snapshot is point-in-time once created");
        await output.WriteLineAsync($"  5. start MySQL with `{service.StartCommand}`, restore replication");
        var plan = RetentionPlanner.Plan(inventory, RetentionPolicy.From(settings), session.Services.Clock.GetUtcNow());
        await output.WriteLineAsync($"  6. retention, on today's inventory ({plan.Summary()}):");
        foreach (var decision in plan.ToDelete)
        {
            await output.WriteLineAsync($"       delete {decision.SnapshotId}  {Durations.Utc(decision.Snapshot.StartTime)}  {decision.Reason}");
        }

        await output.WriteLineAsync("a real run would exit 0");
    }
}
