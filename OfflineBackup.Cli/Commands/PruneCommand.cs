using System.CommandLine;
using OfflineBackup.Pipeline;
using OfflineBackup.Pipeline.Guards;
using OfflineBackup.Retention;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>offline-backup prune</c>: retention on its own. Takes the lock (a dry run only looks whether
/// it is free, as <c>run --dry-run</c> does), refuses while an interrupted run awaits recovery
/// (MySQL may be down: that comes first), then one DescribeSnapshots sweep, the plan and the
/// deletions. Never talks to MySQL.
/// </summary>
public static class PruneCommand
{
    public static Command Create(CliServices services)
    {
        var command = new Command("prune", "Delete this tool's snapshots that retention says are expired")
        {
            CommonOptions.DryRun,
            CommonOptions.Json,
        };
        CommandSession.Bind(command, services, (parseResult, session, token) => ExecuteAsync(session, parseResult.GetValue(CommonOptions.DryRun), parseResult.GetValue(CommonOptions.Json), token));
        return command;
    }

    public static async Task<int> ExecuteAsync(CommandSession session, bool dryRun, bool json, CancellationToken cancellationToken)
    {
        var settings = session.Settings;
        var services = session.Services;
        var volume = settings.Instance.VolumeId;
        var store = services.Adapters.CreateSnapshotStore(settings.Aws);

        // The replica adapter connects only when asked; the lock and journal guards never ask.
        using var context = new GuardContext(
            settings, services.Adapters.CreateReplicaServer(settings.MySql), store, services.Clock, holdLock: !dryRun);
        var pipeline = GuardPipeline.Standard(services.HostName);
        var guards = pipeline.Guards.Where(g => g is LockGuard or InterruptedRunGuard);
        var refusal = (await pipeline.EvaluateUntilRefusalAsync(context, guards, cancellationToken)).FirstOrDefault(r => !r.Passed);

        var step = new RetentionStep(store, services.Clock, services.RetentionBackoff);
        var listed = refusal is null;
        PruneReport report;
        if (refusal is not null)
        {
            report = PruneReport.Refusal(volume, dryRun, refusal);
        }
        else if (dryRun)
        {
            (report, listed) = await DryRunAsync(step, session, cancellationToken);
        }
        else
        {
            var result = await step.RunAsync(settings, cancellationToken);
            listed = result.Plan is not null;
            report = PruneReport.FromResult(result);
        }

        if (json)
        {
            await session.Output.WriteLineAsync(report.ToJson());
        }
        else if (listed)
        {
            // A prune that could not list has no inventory to show: only the error line below.
            await PruneText.WriteAsync(session.Output, report);
        }

        if (report.ExitCode != ExitCodes.Success)
        {
            await session.Error.WriteLineAsync($"offline-backup prune: exit {report.ExitCode} ({report.Meaning}): {ErrorLine(report)}");
        }

        return report.ExitCode;
    }

    private static async Task<(PruneReport Report, bool Listed)> DryRunAsync(RetentionStep step, CommandSession session, CancellationToken cancellationToken)
    {
        RetentionPlan plan;
        try
        {
            plan = await step.PlanAsync(session.Settings, cancellationToken);
        }
        catch (BackupException e) when (e.ExitCode is ExitCodes.RetentionIncomplete or ExitCodes.PermissionDenied
            or ExitCodes.Ec2Unreachable or ExitCodes.BadConfiguration)
        {
            return (PruneReport.DryRunFailed(session.Settings.Instance.VolumeId, e), false);
        }

        try
        {
            return (PruneReport.FromDryRun(plan, await step.ProbeAsync(plan, cancellationToken)), true);
        }
        catch (BackupException e) when (e.ExitCode is ExitCodes.RetentionIncomplete or ExitCodes.PermissionDenied
            or ExitCodes.Ec2Unreachable or ExitCodes.BadConfiguration)
        {
            return (PruneReport.DryRunFailed(session.Settings.Instance.VolumeId, e), true);
        }
    }

    // The stderr line cron mails: the snapshots that need a person, by id.
    private static string ErrorLine(PruneReport report)
    {
        if (report.Refused is { } refused)
        {
            return $"nothing deleted: {refused}";
        }

        var failed = report.Failed.Select(f => f.SnapshotId).ToList();
        return failed.Count == 0
            ? string.Join("; ", report.Problems.DefaultIfEmpty(report.Summary))
            : $"not deleted: {string.Join(", ", failed)}"
                + (report.NotAttempted.Count == 0 ? string.Empty : $"; {report.NotAttempted.Count} more not attempted")
                + $". {report.Summary}";
    }
}
