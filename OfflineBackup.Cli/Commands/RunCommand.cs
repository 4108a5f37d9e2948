using System.CommandLine;
using NLog;
using OfflineBackup.Pipeline;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Retention;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>offline-backup run</c>, cron's hourly job: lock, recovery of an interrupted run, the
/// guards (stopping at the first refusal), then stop, snapshot, start. A run that is not due
/// prints nothing, so cron mails only what needs a person.
/// </summary>
public static class RunCommand
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public static Command Create(CliServices services)
    {
        var command = new Command("run", "Take the daily snapshot if it is due: stop MySQL, snapshot, start MySQL")
        {
            CommonOptions.DryRun,
            CommonOptions.Verbose,
        };
        CommandSession.Bind(command, services, (parseResult, session, token) => ExecuteAsync(session, parseResult.GetValue(CommonOptions.DryRun), parseResult.GetValue(CommonOptions.Verbose), token));
        return command;
    }

    public static async Task<int> ExecuteAsync(CommandSession session, bool dryRun, bool verbose, CancellationToken cancellationToken)
    {
        var token = cancellationToken;
        var settings = session.Settings;
        var services = session.Services;
        var replica = services.Adapters.CreateReplicaServer(settings.MySql);
        var store = services.Adapters.CreateSnapshotStore(settings.Aws);
        var service = services.Adapters.CreateMySqlService(settings, replica);
        var journal = new RunJournal(settings.State.JournalPath);
        var replication = new ReplicationStep(replica, services.Clock);
        var pipeline = GuardPipeline.Standard(services.HostName);
        using var context = new GuardContext(settings, replica, store, services.Clock, holdLock: !dryRun);

        var results = new List<GuardResult>(await pipeline.EvaluateUntilRefusalAsync(context, pipeline.Guards.Take(1), token));
        if (results[0].Passed && !dryRun)
        {
            var recovered = await new RunRecovery(settings, journal, service, replication, store, services.Clock).RecoverAsync(token);
            if (recovered is not null)
            {
                await session.Error.WriteLineAsync($"offline-backup run: {recovered.Summary}");
                if (recovered.HoldOffUntil is not null)
                {
                    return ExitCodes.SnapshotPending;
                }
            }
        }

        if (results[0].Passed)
        {
            results.AddRange(await pipeline.EvaluateUntilRefusalAsync(context, pipeline.Guards.Skip(1), token));
        }

        var exitCode = GuardPipeline.ExitCodeOf(results);
        if (dryRun)
        {
            var inventory = exitCode == ExitCodes.Success ? await context.VolumeSnapshotsAsync(token) : [];
            await DryRunPlan.WriteAsync(session, results, exitCode, inventory);
            return exitCode;
        }

        if (exitCode != ExitCodes.Success)
        {
            await ReportRefusalAsync(session, results[^1], verbose);
            return exitCode;
        }

        // Warnings (a snapshot in state error, say) reach the DBA with the daily backup's mail,
        // not every hour: the not-due path above stays silent.
        foreach (var warning in results.SelectMany(r => r.Warnings))
        {
            await session.Error.WriteLineAsync($"offline-backup run: warning: {warning}");
        }

        var run = new BackupRun(
            settings,
            replication,
            service,
            new SnapshotCreator(store, services.Clock, services.CreateBackoff),
            new SnapshotWaiter(store, services.Clock, settings.Service.SnapshotPollInterval, settings.Service.SnapshotWaitTimeout),
            journal,
            services.Clock,
            session.RunId,
            services.HostName);
        var report = await run.ExecuteAsync(() => session.InterruptedExitCode, token);
        if (report.ExitCode == ExitCodes.Success)
        {
            // Retention only after a good snapshot: a failing backup must never thin out the
            // backups that still work. Its failures are logged (and so printed) by the step.
            var retention = await new RetentionStep(store, services.Clock, services.RetentionBackoff).RunAsync(settings, token);
            var gone = retention.AlreadyGone.Count == 0 ? string.Empty : $" ({retention.AlreadyGone.Count} of them already gone)";
            report = report with
            {
                ExitCode = retention.ExitCode,
                Summary = $"{report.Summary}; retention deleted {retention.Deleted.Count + retention.AlreadyGone.Count}{gone}",

                // A sweep that failed is said here, once; deletion failures the step logs itself.
                Problems = retention.Plan is null ? [.. report.Problems, .. retention.Problems] : report.Problems,
            };
        }

        foreach (var problem in report.Problems)
        {
            await session.Error.WriteLineAsync($"offline-backup run: {problem}");
        }

        Log.Info("run finished with exit {code}: {summary}", report.ExitCode, report.Summary);
        if (report.ExitCode == ExitCodes.Success)
        {
            await session.Output.WriteLineAsync($"offline-backup run: {report.Summary}");
        }
        else
        {
            await session.Error.WriteLineAsync($"offline-backup run: exit {report.ExitCode} ({ExitCodes.Describe(report.ExitCode)}): {report.Summary}");
        }

        return report.ExitCode;
    }

    private static async Task ReportRefusalAsync(CommandSession session, GuardResult refusal, bool verbose)
    {
        var line = $"offline-backup run: no backup: {refusal.Guard}: {refusal.Detail}";
        if (refusal.ExitCode == ExitCodes.NotDue)
        {
            // The healthy hourly answer: cron must not mail it.
            if (verbose)
            {
                await session.Output.WriteLineAsync(line);
            }

            return;
        }

        await session.Error.WriteLineAsync(line);
    }
}
