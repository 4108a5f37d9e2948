using OfflineBackup.Errors;
using OfflineBackup.MySql;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// Only a healthy, read-only replica is ever stopped: never a writable server, never one whose
/// replication is broken (a NULL lag is broken, not "no lag"), never one lagging past the limit.
/// </summary>
public sealed class ReplicaGuard() : JudgingGuard<ReplicaInspection>("replica", (context, token) => context.ReplicaAsync(token))
{
    protected override GuardResult Judge(ReplicaInspection inspection, GuardContext context)
    {
        var state = inspection.RequireState();
        var health = ReplicaHealth.Evaluate(state, context.Settings.Guards.MaxLag);
        var result = health.Healthy
            ? GuardResult.Pass(Name, health.Detail)
            : GuardResult.Refuse(Name, ExitCodes.ReplicaUnhealthy, health.Detail);
        return result with { ReplicaLag = health.Lag };
    }
}

/// <summary>
/// The MySQL user must be able to read replication status and stop and start replication,
/// or a run would stop the server and then be unable to put replication back.
/// </summary>
public sealed class MySqlPrivilegeGuard() : JudgingGuard<ReplicaInspection>("privileges", (context, token) => context.ReplicaAsync(token))
{
    protected override GuardResult Judge(ReplicaInspection inspection, GuardContext context)
    {
        var missing = inspection.RequireMissing();
        var user = context.Settings.MySql.User;
        if (missing.Count == 0)
        {
            return GuardResult.Pass(Name, $"{user} may read replication status and stop and start replication");
        }

        var needs = string.Join("; ", missing.Select(m => $"{m.Privilege} (to {m.NeededFor}): {m.GrantStatement}"));
        return GuardResult.Refuse(Name, ExitCodes.PermissionDenied, $"{user} lacks {needs}");
    }
}
