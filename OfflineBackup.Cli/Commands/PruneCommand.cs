using System.CommandLine;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>offline-backup prune</c>: retention on its own, run by <see cref="InventoryPipeline"/>
/// (the lock held as a scope; a dry run only looks whether it is free), rendered here as text
/// or as the JSON of <see cref="PruneReport"/>. Never talks to MySQL.
/// </summary>
public static class PruneCommand
{
    public static Command Create(CliServices services) => CommandSession.Define(
        "prune",
        HelpText.Prune,
        services,
        [CommonOptions.DryRun, CommonOptions.Json],
        (parseResult, session, token) => ExecuteAsync(session, parseResult.GetValue(CommonOptions.DryRun), parseResult.GetValue(CommonOptions.Json), token));

    public static async Task<int> ExecuteAsync(CommandSession session, bool dryRun, bool json, CancellationToken cancellationToken)
    {
        var volume = session.Settings.Instance.VolumeId;
        var outcome = await session.Wired.Inventory.PruneAsync(dryRun, cancellationToken);
        session.Facts.ObservePrune(outcome);
        var report = outcome switch
        {
            { Refusal: { } refusal } => PruneReport.Refusal(volume, dryRun, refusal),
            { Result: { } result } => PruneReport.FromResult(result),
            { DryRunFailure: { } failure } => PruneReport.DryRunFailed(volume, failure),
            { Plan: { } plan } => PruneReport.FromDryRun(plan, outcome.Probe),
            _ => throw new InvalidOperationException("prune returned no outcome"),
        };
        await session.WriteNoticesAsync(outcome.Result?.Notices ?? outcome.Notices);

        if (json)
        {
            await session.Output.WriteLineAsync(report.ToJson());
        }
        else if (outcome.Refusal is null)
        {
            await PruneText.WriteAsync(session.Output, report);
        }

        if (report.ExitCode != ExitCodes.Success)
        {
            await session.Error.WriteLineAsync($"offline-backup prune: exit {report.ExitCode} ({report.Meaning}): {ErrorLine(report)}");
        }

        return report.ExitCode;
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
