using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OfflineBackup.Drill;
using OfflineBackup.Errors;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>offline-backup drill [--snapshot ID]</c>: prove that a snapshot restores, then remove
/// everything the proof made. One report line (stdout if passed, stderr if not) or <c>--json</c>.
/// </summary>
public static class DrillCommand
{
    private static readonly Option<string?> SnapshotOption = new("--snapshot") { Description = "The snapshot to drill (default: the newest completed one of ours)" };

    public static Command Create(CliServices services)
    {
        var command = new Command("drill", "Restore a snapshot to a throwaway server, check it, and remove it all again")
        {
            SnapshotOption,
            CommonOptions.Json,
        };
        CommandSession.Bind(command, services, (parseResult, session, token) =>
            ExecuteAsync(session, parseResult.GetValue(SnapshotOption), parseResult.GetValue(CommonOptions.Json), token));
        return command;
    }

    public static async Task<int> ExecuteAsync(CommandSession session, string? snapshotId, bool json, CancellationToken cancellationToken)
    {
        var (report, notices) = await session.Wired.Drill.RunAsync(snapshotId, cancellationToken);
        session.Facts.ObserveDrill(report.Passed, report.RestoreTime);
        await session.WriteNoticesAsync(notices);
        if (json)
        {
            await session.Output.WriteLineAsync(JsonSerializer.Serialize(DrillJson.From(report), CheckReport.Options));
        }
        else if (report.Passed)
        {
            await session.Output.WriteLineAsync($"offline-backup drill: {Summary(report)}");
        }
        else
        {
            await session.Error.WriteLineAsync($"offline-backup drill: exit {report.ExitCode} ({ExitCodes.Describe(report.ExitCode)}): {Summary(report)}");
        }

        return report.ExitCode;
    }

    public static string Summary(DrillReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var restore = report.RestoreTime is { } time ? string.Create(inv, $"; the server answered after {time.TotalSeconds:0.0} s") : "";
        var checks = report.Checks.Count == 0 ? "" : "; " + string.Join(", ", report.Checks.Select(c => $"{c.Name} {(c.Passed ? "ok" : "FAILED")}"));
        var total = string.Create(inv, $"{report.Steps.Sum(s => s.Duration.TotalSeconds):0.0} s in all");
        return $"{report.SnapshotId} {report.Result}{restore}{checks}; {total}";
    }
}

/// <summary>The JSON document of <c>drill --json</c>; field names are a contract with scripts.</summary>
public sealed record DrillJson(
    string RunId,
    string Snapshot,
    string? Volume,
    DateTimeOffset StartedAt,
    bool Passed,
    int ExitCode,
    string? Failure,
    double? RestoreSeconds,
    IReadOnlyList<DrillStepJson> Steps,
    IReadOnlyList<DrillCheck> Checks,
    IReadOnlyList<string> CleanupProblems)
{
    public static DrillJson From(DrillReport r) => new(
        r.RunId, r.SnapshotId, r.VolumeId, r.StartedAt, r.Passed, r.ExitCode, r.Failure, r.RestoreTime?.TotalSeconds,
        [.. r.Steps.Select(s => new DrillStepJson(s.Name, s.Duration.TotalSeconds, s.Succeeded, s.Detail))], r.Checks, r.CleanupProblems);
}

public sealed record DrillStepJson(string Name, double Seconds, bool Succeeded, string Detail);
