using System.Globalization;
using System.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// The replica's position written into the data directory before an online snapshot, so that a
/// restored volume carries its own (as xtrabackup's xtrabackup_slave_info does) whatever becomes
/// of the snapshot's tags. First line exactly the position tag's format ("gtid:0-1-42" or
/// "file:NAME:POS"), then key=value lines. Written to a temporary file, fsynced, renamed and the
/// directory fsynced: the snapshot holds either the old file or the whole new one.
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
}
