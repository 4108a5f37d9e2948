using System.Text.Json;
using System.Text.Json.Serialization;
using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline;

/// <summary>Where a run is. Written before each phase starts, so a crash leaves the phase it died in.</summary>
public enum RunPhase
{
    StoppingReplication,

    /// <summary>Replication stopped, the dirty-page limits lowered: InnoDB flushes before the stop.</summary>
    PreFlushing,
    StoppingMySql,
    CreatingSnapshot,
    WaitingForSnapshot,
    StartingMySql,
    RestoringReplication,

    /// <summary>
    /// Written by a recovery, not a run: MySQL and replication are back, but the dead run was
    /// killed with a CreateSnapshot in flight that may still land. No new snapshot until it
    /// shows up or the window for it has passed.
    /// </summary>
    SnapshotInFlight,
}

/// <summary>
/// The state of a run in flight: enough for the next run to finish what a crashed one left
/// (start MySQL, restore the replication threads that ran, adopt the snapshot it made).
/// </summary>
public sealed record JournalEntry(
    string RunId,
    int Pid,
    RunPhase Phase,
    DateTimeOffset StartedAt,
    string VolumeId,
    IReadOnlyList<string> ChannelsToRestart,
    DateTimeOffset? MySqlStoppedAt,
    string? SnapshotId,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Server settings the run changed, with their originals, written before the change: what
    /// must be put back while MySQL runs. Absent from journals of older versions (read as null).
    /// </summary>
    public ChangedSettings? Changed { get; init; }

    /// <summary>True from the moment the stop command may have run until MySQL was seen up again.</summary>
    public bool MySqlMayBeDown => Phase is RunPhase.StoppingMySql or RunPhase.CreatingSnapshot
        or RunPhase.WaitingForSnapshot or RunPhase.StartingMySql;

    /// <summary>What the interrupted run may have left behind, in the words check, list and prune use.</summary>
    public string LeftBehind => Phase == RunPhase.SnapshotInFlight
        ? "MySQL is back, but a CreateSnapshot it sent may still land"
        : MySqlMayBeDown ? "MySQL may be stopped" : "replication may be stopped"
            + (Changed is null ? string.Empty : " and InnoDB's dirty-page limits lowered");
}

/// <summary>The dirty-page limits as they were before the pre-flush lowered them, and when it did.</summary>
public sealed record ChangedSettings(OfflineBackup.MySql.FlushLimits FlushLimits, DateTimeOffset ChangedAt);

/// <summary>
/// The state journal file. Written atomically (temporary file, fsync, rename, fsync of the
/// directory) so that a crash at any instant leaves either the old entry or the new one.
/// </summary>
public sealed class RunJournal(string path)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string Path { get; } = path;

    public JournalEntry? Read()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<JournalEntry>(File.ReadAllText(Path), Json);
        }
        catch (JsonException e)
        {
            throw new BackupException(
                ExitCodes.InterruptedRunPending,
                $"the state journal {Path} is unreadable ({e.Message}); check whether MySQL is running, then delete the file");
        }
    }

    public void Write(JournalEntry entry)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, entry, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
        SyncDirectory(directory);
    }

    public void Clear()
    {
        File.Delete(Path);
        SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
    }

    // The rename is durable only once the directory entry is on disk.
    private static void SyncDirectory(string directory) => OfflineBackup.Platform.LibC.SyncDirectory(directory);
}
