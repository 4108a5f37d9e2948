using OfflineBackup.Errors;
using OfflineBackup.Pipeline.Steps;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// The stop must be a clean shutdown: a server set to <c>innodb_fast_shutdown = 2</c> is
/// refused before anything is stopped (the run checks again just before the stop).
/// </summary>
public sealed class ShutdownGuard : IGuard
{
    public string Name => "shutdown";

    public async Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var state = await context.InnoDbAsync(cancellationToken);
        if (CleanShutdown.Refusal(state) is { } refusal)
        {
            return GuardResult.Refuse(Name, ExitCodes.ReplicaUnhealthy, refusal);
        }

        var warnings = state.ErrorLog.Length == 0
            ? new[] { "MySQL logs to stderr (@@log_error is empty): a clean shutdown cannot be confirmed from its error log" }
            : [];
        return GuardResult.Pass(
            Name,
            $"innodb_fast_shutdown={state.FastShutdown}, buffer pool {(state.DumpAtShutdown ? "dumped at shutdown" : "dumped by the run before the stop")}, "
            + $"error log {(state.ErrorLog.Length == 0 ? "stderr" : state.ErrorLog)}",
            warnings);
    }
}
