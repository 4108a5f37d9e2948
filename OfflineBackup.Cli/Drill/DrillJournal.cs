using System.Text.Json;
using OfflineBackup.Errors;
using OfflineBackup.Platform;

namespace OfflineBackup.Drill;

/// <summary>
/// What a drill in flight has made: enough for the next invocation to remove it after a SIGKILL
/// (the volume, the mount, the throwaway server). Written before each thing is made, so the
/// journal never knows less than exists.
/// </summary>
public sealed record DrillJournalEntry(
    string RunId,
    int Pid,
    string SnapshotId,
    DateTimeOffset StartedAt,
    string? VolumeId,
    string MountPoint,
    string Socket,
    int? ServerPid);

/// <summary>The drill's journal file in the scratch directory; atomic writes (temporary file, rename).</summary>
public sealed class DrillJournal(string path)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public string Path { get; } = path;

    public DrillJournalEntry? Read()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DrillJournalEntry>(File.ReadAllText(Path), Json)
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new BackupException(ExitCodes.DrillFailed,
                $"the drill journal {Path} is unreadable ({e.Message}); check for a drill volume, mount or mysqld by hand, then delete it");
        }
    }

    public void Write(DrillJournalEntry entry)
    {
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(entry, Json));
        File.Move(temporary, Path, overwrite: true);
        LibC.SyncDirectory(System.IO.Path.GetDirectoryName(Path)!);
    }

    public void Clear() => File.Delete(Path);
}
