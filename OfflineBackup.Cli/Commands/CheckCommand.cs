using System.CommandLine;
using System.Text.Json;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>offline-backup check</c>: "will tonight's backup run, and if not, why?". Evaluates every
/// guard of the pipeline that <c>run</c> uses, changes nothing, and exits with the code of the
/// first refusal (0 when a backup would be taken now).
/// </summary>
public static class CheckCommand
{
    public static Command Create(CliServices services) => CommandSession.Define(
        "check",
        HelpText.Check,
        services,
        [CommonOptions.Json],
        (parseResult, session, token) => ExecuteAsync(session, parseResult.GetValue(CommonOptions.Json), token),
        async (parseResult, session, exitCode, message) =>
        {
            // Scripts parse stdout: even a configuration that does not load answers in JSON.
            if (parseResult.GetValue(CommonOptions.Json))
            {
                await session.Output.WriteLineAsync(JsonSerializer.Serialize(CheckReport.Failed(session.VolumeId, exitCode, message), CheckReport.Options));
            }
        });

    public static async Task<int> ExecuteAsync(CommandSession session, bool json, CancellationToken cancellationToken)
    {
        var settings = session.Settings;
        var results = await session.Wired.Backup.CheckAsync(cancellationToken);
        var exitCode = GuardPipeline.ExitCodeOf(results);
        session.Facts.ObserveGuards(results);

        if (json)
        {
            await session.Output.WriteLineAsync(JsonSerializer.Serialize(CheckReport.From(settings, results, exitCode), CheckReport.Options));
        }
        else
        {
            await WriteTextAsync(session.Output, results, exitCode);
        }

        return exitCode;
    }

    private static async Task WriteTextAsync(TextWriter output, IReadOnlyList<GuardResult> results, int exitCode)
    {
        var width = results.Max(r => r.Guard.Length) + 2;
        foreach (var result in results)
        {
            var verdict = result.Passed ? "passed " : "REFUSED";
            await output.WriteLineAsync($"{result.Guard.PadRight(width)}{verdict}  {result.Detail}");
            foreach (var warning in result.Warnings)
            {
                await output.WriteLineAsync($"{new string(' ', width)}warning  {warning}");
            }
        }

        await output.WriteLineAsync(exitCode == ExitCodes.Success
            ? "result: a backup would be taken now (exit 0)"
            : $"result: no backup now: {ExitCodes.Describe(exitCode)} (exit {exitCode})");
    }
}

/// <summary>The JSON document of <c>check --json</c>; field names are a contract with scripts.</summary>
public sealed record CheckReport(
    string? VolumeId,
    bool BackupDue,
    int ExitCode,
    string Meaning,
    IReadOnlyList<GuardReport> Guards)
{
    /// <summary>Why no guard was evaluated (the configuration, a signal, a bug); null when the guards ran.</summary>
    public string? Error { get; init; }

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static CheckReport From(Configuration.Settings settings, IReadOnlyList<GuardResult> results, int exitCode) => new(
        settings.Instance.VolumeId,
        exitCode == ExitCodes.Success,
        exitCode,
        ExitCodes.Describe(exitCode),
        results.Select(r => new GuardReport(r.Guard, r.Passed, r.Detail, r.ExitCode, r.Warnings)).ToList());

    /// <summary>The answer when the guards could not run; the volume is null when the configuration did not load.</summary>
    public static CheckReport Failed(string? volumeId, int exitCode, string error) =>
        new(volumeId, false, exitCode, ExitCodes.Describe(exitCode), []) { Error = error };
}

public sealed record GuardReport(string Name, bool Passed, string Detail, int ExitCode, IReadOnlyList<string> Warnings);
