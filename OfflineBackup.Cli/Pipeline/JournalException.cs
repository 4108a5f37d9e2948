using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline;

/// <summary>
/// The state journal could not be read or written (read-only or full filesystem, a directory in
/// its place, a damaged file): exit 14. Its own code because it is neither a bug nor an AWS or
/// MySQL problem: the fix is on this host's disk.
/// </summary>
public sealed class JournalException(string message, Exception? inner = null)
    : BackupException(ExitCodes.JournalFailed, message, inner);
