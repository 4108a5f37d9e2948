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

    /// <summary>Online mode: replication stopped; the backup lock asked for or held by the run's own session (it dies with the run).</summary>
    BlockingCommits,

    /// <summary>Online mode: the block released, the filesystem thawed; replication being restarted.</summary>
    ReleasingBlock,
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
    /// The process group of the stop command, once started: if this run dies, the next one
    /// ends that group before it starts MySQL, so a slow stop cannot land after the recovery.
    /// </summary>
    public int? StopCommandGroup { get; init; }

    /// <summary>
    /// What proves that <see cref="StopCommandGroup"/> is still that command's group when the next
    /// run looks (a reboot or a PID wrap-around may give the id to another group). Absent from
    /// journals of older versions: their group is never signalled.
    /// </summary>
    public Service.CommandGroupIdentity? StopCommandIdentity { get; init; }

    /// <summary>
    /// Server settings the run changed, with their originals, written before the change: what
    /// must be put back while MySQL runs. Absent from journals of older versions (read as null).
    /// </summary>
    public ChangedSettings? Changed { get; init; }

    /// <summary>
    /// The process group of the start command while it runs (phase starting_mysql): if this run
    /// dies, the next one settles that group before it starts MySQL (see <c>StartCommandGroup</c>).
    /// </summary>
    public int? StartCommandGroup { get; init; }

    /// <summary>As <see cref="StopCommandIdentity"/>, for <see cref="StartCommandGroup"/>.</summary>
    public Service.CommandGroupIdentity? StartCommandIdentity { get; init; }

    /// <summary>The stop command's group as recorded, for the recovery.</summary>
    public Service.RecordedGroup? StopGroup => StopCommandGroup is { } id ? new(id, StopCommandIdentity) : null;

    /// <summary>The start command's group as recorded, for the recovery.</summary>
    public Service.RecordedGroup? StartGroup => StartCommandGroup is { } id ? new(id, StartCommandIdentity) : null;

    /// <summary>An online run (consistency.mode: online): MySQL was never stopped; a snapshot found without an answer was taken unblocked.</summary>
    public bool Online { get; init; }

    /// <summary>Online mode: true while the run's session may hold (or wait for) the backup lock.</summary>
    public bool CommitsBlocked { get; init; }

    /// <summary>Online mode with freeze_filesystem: the frozen mount and its watchdog, written before the freeze.</summary>
    public Steps.FreezeJournal? Freeze { get; init; }

    /// <summary>True from the moment the stop command may have run until MySQL was seen up again; never in online mode.</summary>
    public bool MySqlMayBeDown => !Online && Phase is RunPhase.StoppingMySql or RunPhase.CreatingSnapshot
        or RunPhase.WaitingForSnapshot or RunPhase.StartingMySql;

    /// <summary>
    /// What the interrupted run may have left behind, in the words check, list and prune use. The
    /// lowered dirty-page limits are named in every phase the journal still holds their originals
    /// (a run clears them once it has put them back); when MySQL may be down they matter only if it still runs.
    /// </summary>
    public string LeftBehind => Phase == RunPhase.SnapshotInFlight
        ? "MySQL is back, but a CreateSnapshot it sent may still land" + (Changed is null ? string.Empty : "; " + LimitsLowered)
        : MySqlMayBeDown ? "MySQL may be stopped" + (Changed is null ? string.Empty : ", or still running with " + LimitsLowered)
        : Freeze is { } freeze ? $"{freeze.MountPoint} may be frozen (its watchdog thaws it by {Text.Durations.Utc(freeze.Deadline)}) and replication may be stopped" + (Changed is null ? string.Empty : "; " + LimitsLowered)
        : "replication may be stopped" + (Changed is null ? string.Empty : " and " + LimitsLowered);

    private const string LimitsLowered = "InnoDB's dirty-page limits lowered";
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
        if (Directory.Exists(Path))
        {
            throw Unreadable("it is a directory, not a file");
        }

        if (!File.Exists(Path))
        {
            return null;
        }

        JournalEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<JournalEntry>(File.ReadAllText(Path), Json);
        }
        catch (JsonException e)
        {
            throw Unreadable(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(e.Message, e);
        }

        // A file that parses but lacks what recovery needs ("{}", a truncated hand edit) is
        // as unreadable as one that does not parse.
        var missing = entry is null ? ["everything"] : Missing(entry);
        return missing.Count == 0 ? entry : throw Unreadable($"it lacks {string.Join(", ", missing)}");
    }

    public void Write(JournalEntry entry) => Guarded("write", () =>
    {
        var directory = DirectoryOfPath();
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, entry, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
        SyncDirectory(directory);
    });

    public void Clear() => Guarded("clear", () =>
    {
        File.Delete(Path);
        SyncDirectory(DirectoryOfPath());
    });

    /// <summary>
    /// Proves, before anything is stopped, that the journal can be written where it lives: a
    /// probe file beside it is written, fsynced and removed. A full or read-only filesystem
    /// fails here, while MySQL still runs, instead of after the stop.
    /// </summary>
    public void ProbeWritable() => Guarded("write", () =>
    {
        if (Directory.Exists(Path))
        {
            throw new IOException($"{Path} is a directory, not a file");
        }

        var directory = DirectoryOfPath();
        Directory.CreateDirectory(directory);
        var probe = Path + ".probe";
        using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            // As large as a journal with a few channels, so a nearly full disk fails here too.
            stream.Write(new byte[4096]);
            stream.Flush(flushToDisk: true);
        }

        File.Delete(probe);
    });

    private void Guarded(string verb, Action io)
    {
        try
        {
            io();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JournalException(
                $"the state journal {Path} (state.journal_path) cannot be {(verb == "clear" ? "cleared" : "written")}: {e.Message}. "
                + "Free space or make its filesystem writable", e);
        }
    }

    private JournalException Unreadable(string detail, Exception? inner = null) => new(
        $"the state journal {Path} (state.journal_path) is unreadable: {detail}. "
        + "Check that MySQL is running and replication started, then move the file away", inner);

    private static List<string> Missing(JournalEntry entry)
    {
        var missing = new List<string>();
        if (string.IsNullOrEmpty(entry.RunId))
        {
            missing.Add("run_id");
        }

        if (entry.Pid <= 0)
        {
            missing.Add("pid");
        }

        if (string.IsNullOrEmpty(entry.VolumeId))
        {
            missing.Add("volume_id");
        }

        if (entry.ChannelsToRestart is null)
        {
            missing.Add("channels_to_restart");
        }

        if (entry.StartedAt == default || entry.UpdatedAt == default)
        {
            missing.Add("started_at/updated_at");
        }

        return missing;
    }

    private string DirectoryOfPath() => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    // The rename is durable only once the directory entry is on disk.
    private static void SyncDirectory(string directory) => OfflineBackup.Platform.LibC.SyncDirectory(directory);
}
