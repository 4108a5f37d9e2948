using System.CommandLine;
using NLog;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>offline-backup run</c>, cron's hourly job: parse, let <see cref="BackupPipeline"/> run the
/// sequence, render what it did. A run that is not due prints nothing, so cron mails only what
/// needs a person. <c>--dry-run</c> renders the pipeline's plan instead.
/// </summary>
public static class RunCommand
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public static Command Create(CliServices services) => CommandSession.Define(
        "run",
        HelpText.Run,
        services,
        [CommonOptions.DryRun, CommonOptions.Verbose],
        (parseResult, session, token) => parseResult.GetValue(CommonOptions.DryRun)
            ? DryRunAsync(session, token)
            : ExecuteAsync(session, parseResult.GetValue(CommonOptions.Verbose), token));

    public static async Task<int> ExecuteAsync(CommandSession session, bool verbose, CancellationToken cancellationToken)
    {
        var outcome = await session.Wired.Backup.RunAsync(() => session.InterruptedExitCode, cancellationToken);
        session.Facts.ObserveRun(outcome);
        await session.WriteNoticesAsync(outcome.DrillLeftovers);
        if (outcome.Recovery is { } recovered)
        {
            await session.WriteNoticesAsync(recovered.Notices);
            await session.Error.WriteLineAsync($"offline-backup run: {recovered.Summary}");
        }

        if (outcome.Report is not { } report)
        {
            if (outcome.Refusal is { } refusal)
            {
                await ReportRefusalAsync(session, refusal, verbose);
            }

            // The hourly run says nothing about copies unless one is overdue (or denied).
            foreach (var problem in outcome.Copies?.Problems ?? [])
            {
                await session.Error.WriteLineAsync($"offline-backup run: {problem}");
            }

            return outcome.ExitCode;
        }

        // Warnings (a snapshot in state error, say) reach the DBA with the daily backup's mail,
        // not every hour: the not-due path above stays silent.
        foreach (var warning in outcome.Guards.SelectMany(r => r.Warnings))
        {
            await session.Error.WriteLineAsync($"offline-backup run: warning: {warning}");
        }

        await session.WriteNoticesAsync(report.Notices);
        var summary = report.Summary;
        if (outcome.Retention is { } retention)
        {
            await session.WriteNoticesAsync(retention.Notices);
            var gone = retention.AlreadyGone.Count == 0 ? string.Empty : $" ({retention.AlreadyGone.Count} of them already gone)";
            summary = $"{summary}; retention deleted {retention.Deleted.Count + retention.AlreadyGone.Count}{gone}";
        }

        if (outcome.Copies is { } copies)
        {
            foreach (var warning in copies.Warnings)
            {
                await session.Error.WriteLineAsync($"offline-backup run: warning: {warning}");
            }

            foreach (var problem in copies.Problems)
            {
                await session.Error.WriteLineAsync($"offline-backup run: {problem}");
            }

            summary = $"{summary}; {copies.Summary()}";
        }

        if (outcome.Drill is { } drilled)
        {
            await session.WriteNoticesAsync(drilled.Notices);
            summary = drilled.Report is { } drillReport ? $"{summary}; drill of {DrillCommand.Summary(drillReport)}" : $"{summary}; {drilled.Summary}";
        }

        foreach (var problem in report.Problems)
        {
            await session.Error.WriteLineAsync($"offline-backup run: {problem}");
        }

        Log.Info("run finished with exit {code}: {summary}", outcome.ExitCode, summary);
        if (outcome.ExitCode == ExitCodes.Success)
        {
            await session.Output.WriteLineAsync($"offline-backup run: {summary}");
        }
        else
        {
            await session.Error.WriteLineAsync($"offline-backup run: exit {outcome.ExitCode} ({ExitCodes.Describe(outcome.ExitCode)}): {summary}");
        }

        return outcome.ExitCode;
    }

    /// <summary>
    /// <c>run --dry-run</c>: the guards as a real run would meet them, then the steps it would
    /// take. Nothing is stopped, created or deleted; the AWS permission guard's DryRun probes are
    /// the only calls that ask EC2 about a change.
    /// </summary>
    public static async Task<int> DryRunAsync(CommandSession session, CancellationToken cancellationToken)
    {
        var plan = await session.Wired.Backup.PlanAsync(cancellationToken);
        session.Facts.ObserveGuards(plan.Guards);
        var output = session.Output;
        await output.WriteLineAsync("dry run: nothing is stopped, created or deleted");
        foreach (var result in plan.Guards)
        {
            await output.WriteLineAsync($"  guard {result.Guard,-16} {(result.Passed ? "passed " : "REFUSED")}  {result.Detail}");
        }

        if (plan.ExitCode != ExitCodes.Success)
        {
            await output.WriteLineAsync($"a real run would stop here: {ExitCodes.Describe(plan.ExitCode)} (exit {plan.ExitCode})");
            return plan.ExitCode;
        }

        await output.WriteLineAsync("a real run would now:");
        var number = 0;
        foreach (var step in plan.Steps)
        {
            await output.WriteLineAsync($"  {++number}. {step.Action}");
            foreach (var detail in step.Details)
            {
                await output.WriteLineAsync($"       {detail}");
            }
        }

        await output.WriteLineAsync("a real run would exit 0");
        return plan.ExitCode;
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
