using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// No other invocation may be running. Commands that change things keep the lock for the whole
/// invocation; check and list only look whether someone holds it.
/// </summary>
public sealed class LockGuard : IGuard
{
    public string Name => "lock";

    public Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var path = context.Settings.Instance.LockFilename;
        var now = context.Clock.GetUtcNow();
        try
        {
            var acquired = RunLock.TryAcquire(path, now, out var holder);
            if (acquired is null)
            {
                return Task.FromResult(GuardResult.Refuse(
                    Name, ExitCodes.Locked, $"another run holds {path}: {holder}"));
            }

            if (context.HoldLock)
            {
                context.Lock = acquired;
                return Task.FromResult(GuardResult.Pass(Name, $"acquired {path}"));
            }

            acquired.Dispose();
            return Task.FromResult(GuardResult.Pass(Name, $"{path} is free"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(GuardResult.Refuse(
                Name, ExitCodes.BadConfiguration, $"cannot open lock file {path} (instance.lock_filename): {e.Message}"));
        }
    }
}
