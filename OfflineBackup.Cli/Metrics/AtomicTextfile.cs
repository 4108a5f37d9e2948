namespace OfflineBackup.Metrics;

/// <summary>
/// Replaces a file so that a reader (node_exporter scraping at any instant) sees the old content
/// or the new, never half of one: a temporary file in the same directory (a rename is atomic
/// only within one filesystem), fsync, rename, fsync of the directory.
/// </summary>
public static class AtomicTextfile
{
    public static async Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;

        // Not *.prom, so the collector never reads it half written; the PID keeps a check
        // started during a run from writing into the run's temporary file.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,

                // node_exporter runs as its own user: it must be able to read the file.
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        Platform.LibC.SyncDirectory(directory);
    }
}
