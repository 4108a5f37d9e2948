using System.Globalization;
using System.Text;
using OfflineBackup.Restore;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// The replica's position written into the data directory before an online snapshot, so that a
/// restored volume carries its own (as xtrabackup's xtrabackup_slave_info does) whatever becomes
/// of the snapshot's tags. First line exactly the position tag's format ("gtid:0-1-42" or
/// "file:NAME:POS"), then key=value lines. Written to a temporary file, fsynced, renamed and the
/// directory fsynced: the snapshot holds either the old file or the whole new one. The drill and
/// restore read it back: it is the position of exactly that copy, so it comes before the tag and
/// the server's own tables.
/// </summary>
public static class PositionFile
{
    public const string Name = "offline_backup_replica_position";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, Name);

    public static string Render(string position, string runId, DateTimeOffset takenAt, string? sourceHost)
    {
        var text = new StringBuilder();
        text.Append(position).Append('\n');
        text.Append("run_id=").Append(runId).Append('\n');
        text.Append("taken_at=").Append(takenAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append('\n');
        if (!string.IsNullOrEmpty(sourceHost))
        {
            text.Append("source_host=").Append(sourceHost).Append('\n');
        }

        return text.ToString();
    }

    /// <param name="durable">Fsync the file and the directory; false when the caller syncs the whole filesystem right after.</param>
    public static void Write(string dataDirectory, string position, string runId, DateTimeOffset takenAt, string? sourceHost, bool durable = true)
    {
        var path = PathIn(dataDirectory);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(Render(position, runId, takenAt, sourceHost)));
            stream.Flush(flushToDisk: durable);
        }

        File.Move(temporary, path, overwrite: true);
        if (durable)
        {
            Platform.LibC.SyncDirectory(dataDirectory);
        }
    }

    /// <summary>The position in <paramref name="dataDirectory"/>'s file; null when there is no file; a problem when its first line is not a position.</summary>
    public static (ReplicaPosition? Position, string? Problem) Read(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, Name);
        if (!File.Exists(path))
        {
            return (null, null);
        }

        string first;
        try
        {
            first = File.ReadLines(path).FirstOrDefault()?.Trim() ?? "";
        }
        catch (IOException e)
        {
            return (null, $"the position file {Name} is unreadable: {e.Message}");
        }

        var shown = first.Length > 60 ? first[..60] + "..." : first;
        return ReplicaPosition.Parse(first, $"the position file {Name}") is { } position
            ? (position, null)
            : (null, $"the position file {Name} does not start with a position (gtid:... or file:NAME:POS): \"{shown}\"");
    }
}
