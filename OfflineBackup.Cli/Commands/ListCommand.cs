using System.CommandLine;
using System.Text.Json;
using OfflineBackup.Configuration;
using OfflineBackup.Pipeline;
using OfflineBackup.Retention;

namespace OfflineBackup.Commands;

/// <summary>
/// <c>offline-backup list</c>: the volume's snapshots, newest first, with whose each is and what
/// retention would do with it now, plus the lock holder and an interrupted run if there is one.
/// Changes nothing and does not keep the lock (it only looks whether someone holds it).
/// With <c>--json</c> stdout is exactly a JSON array of snapshots, so scripts can pipe it to jq;
/// the lock and journal notes then go to stderr as text, and only when there is something to say.
/// </summary>
public static class ListCommand
{
    public static Command Create(CliServices services)
    {
        var command = new Command("list", HelpText.List)
        {
            CommonOptions.Json,
        };
        CommandSession.Bind(command, services, (parseResult, session, token) => ExecuteAsync(session, parseResult.GetValue(CommonOptions.Json), token));
        return command;
    }

    public static async Task<int> ExecuteAsync(CommandSession session, bool json, CancellationToken cancellationToken)
    {
        var settings = session.Settings;
        var services = session.Services;
        var now = services.Clock.GetUtcNow();
        var (lockNote, lockHeld) = LockNote(settings, now);
        var journalNote = JournalNote(settings);

        var store = services.Adapters.CreateSnapshotStore(settings.Aws);
        var snapshots = await store.ListVolumeSnapshotsAsync(settings.Instance.VolumeId, cancellationToken);
        var plan = RetentionPlanner.Plan(snapshots, RetentionPolicy.From(settings), now);
        var rows = SnapshotRow.NewestFirst(plan);

        if (json)
        {
            await session.Output.WriteLineAsync(JsonSerializer.Serialize(rows, SnapshotRow.Json));
            foreach (var note in new[] { lockHeld ? lockNote : null, journalNote }.OfType<string>())
            {
                await session.Error.WriteLineAsync($"offline-backup list: {note}");
            }

            return ExitCodes.Success;
        }

        var output = session.Output;
        await output.WriteLineAsync($"volume {settings.Instance.VolumeId}: {rows.Count} snapshots owned by this account, newest first");
        await output.WriteLineAsync(lockNote);
        if (journalNote is not null)
        {
            await output.WriteLineAsync(journalNote);
        }

        if (rows.Count > 0)
        {
            await output.WriteLineAsync();
            await SnapshotTable.WriteAsync(output, rows);
            await output.WriteLineAsync();
        }

        await output.WriteLineAsync($"retention now: {plan.Summary()}");
        return ExitCodes.Success;
    }

    private static (string Note, bool Held) LockNote(Settings settings, DateTimeOffset now)
    {
        var path = settings.Instance.LockFilename;
        try
        {
            return RunLock.CurrentHolder(path, now) is { } holder
                ? ($"lock: held by {holder} ({path})", true)
                : ($"lock: free ({path})", false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ($"lock: cannot open {path} (instance.lock_filename): {e.Message}", true);
        }
    }

    private static string? JournalNote(Settings settings)
    {
        try
        {
            return new RunJournal(settings.State.JournalPath).Read() is { } entry
                ? $"interrupted run: {entry.RunId} (PID {entry.Pid}) stopped during {entry.Phase}, started {Durations.Utc(entry.StartedAt)}"
                    + (entry.SnapshotId is null ? string.Empty : $", snapshot {entry.SnapshotId}")
                    + $": {entry.LeftBehind}; "
                    + "`offline-backup run` recovers it"
                : null;
        }
        catch (BackupException e)
        {
            return $"interrupted run: {e.Message}";
        }
    }

}
