using OfflineBackup.Errors;
using OfflineBackup.MySql;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// Only a healthy, read-only replica is ever stopped: never a writable server, never one whose
/// replication is broken (a NULL lag is broken, not "no lag"), never one lagging past the limit.
/// </summary>
public sealed class ReplicaGuard : IGuard
{
    public string Name => "replica";

    public async Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var state = (await context.ReplicaAsync(cancellationToken)).RequireState();
        var health = ReplicaHealth.Evaluate(state, context.Settings.Guards.MaxLag);
        var result = health.Healthy
            ? GuardResult.Pass(Name, health.Detail)
            : GuardResult.Refuse(Name, ExitCodes.ReplicaUnhealthy, health.Detail);
        return result with { ReplicaLag = health.Lag };
    }
}
