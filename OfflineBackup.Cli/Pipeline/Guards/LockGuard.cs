using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// No other invocation may be running. Only looks (see <see cref="RunLock.CurrentHolder"/>):
/// the commands that change things hold the lock as a scope in <see cref="BackupPipeline"/>, and
/// this guard is what check, list and the dry runs see.
/// </summary>
public sealed class LockGuard : IGuard
{
    public string Name => "lock";

    public Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var path = context.Settings.Instance.LockFilename;
        var (holder, error) = Look(path);
        return Task.FromResult(
            error is not null ? Unusable(path, error)
            : holder is not null ? Held(path, holder)
            : GuardResult.Pass(Name, $"{path} is free"));
    }

    /// <summary>Who holds the lock (null: nobody), or why the lock file cannot be read.</summary>
    public static (string? Holder, Exception? Error) Look(string path)
    {
        try
        {
            return (RunLock.CurrentHolder(path), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e);
        }
    }

    /// <summary>The refusal when another process holds the lock, the same for every command.</summary>
    public static GuardResult Held(string path, string holder) =>
        GuardResult.Refuse("lock", ExitCodes.Locked, $"another run holds {path}: {holder}");

    public static GuardResult Unusable(string path, Exception e) =>
        GuardResult.Refuse("lock", ExitCodes.BadConfiguration, $"cannot open lock file {path} (instance.lock_filename): {e.Message}");
}
