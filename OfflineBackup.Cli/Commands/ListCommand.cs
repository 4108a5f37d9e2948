using System.CommandLine;
using System.Text.Json;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline;
using OfflineBackup.Text;

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
    public static Command Create(CliServices services) =>
        CommandSession.DefineWithJson("list", HelpText.List, services, ExecuteAsync);

    public static async Task<int> ExecuteAsync(CommandSession session, bool json, CancellationToken cancellationToken)
    {
        var view = await session.Wired.Inventory.ListAsync(cancellationToken);
        var (lockNote, lockHeld) = LockNote(view);
        var journalNote = JournalNote(view);
        var plan = view.Plan;
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
        await output.WriteLineAsync($"volume {session.Settings.Instance.VolumeId}: {rows.Count} snapshots owned by this account, newest first");
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
        if (view.Copies is { } copies)
        {
            await CopyListing.WriteAsync(output, session.Settings.Copy!.Region, copies);
        }

        return ExitCodes.Success;
    }

    private static (string Note, bool Held) LockNote(InventoryView view) =>
        view.LockError is { } error ? ($"lock: cannot open {view.LockPath} (instance.lock_filename): {error}", true)
        : view.LockHolder is { } holder ? ($"lock: held by {holder} ({view.LockPath})", true)
        : ($"lock: free ({view.LockPath})", false);

    private static string? JournalNote(InventoryView view) =>
        view.JournalError is { } error ? $"interrupted run: {error}"
        : view.Journal is { } entry
            ? $"interrupted run: {entry.RunId} (PID {entry.Pid}) stopped during {entry.Phase}, started {Durations.Utc(entry.StartedAt)}"
                + (entry.SnapshotId is null ? string.Empty : $", snapshot {entry.SnapshotId}")
                + $": {entry.LeftBehind}; "
                + "`offline-backup run` recovers it"
            : null;
}
