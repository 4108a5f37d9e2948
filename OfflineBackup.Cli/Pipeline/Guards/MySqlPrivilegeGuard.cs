using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// The MySQL user must be able to read replication status and stop and start replication,
/// or a run would stop the server and then be unable to put replication back.
/// </summary>
public sealed class MySqlPrivilegeGuard : IGuard
{
    public string Name => "privileges";

    public async Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var missing = (await context.ReplicaAsync(cancellationToken)).RequireMissing();
        var user = context.Settings.MySql.User;
        if (missing.Count == 0)
        {
            return GuardResult.Pass(Name, $"{user} may read replication status and stop and start replication");
        }

        var needs = string.Join("; ", missing.Select(m => $"{m.Privilege} (to {m.NeededFor}): {m.GrantStatement}"));
        return GuardResult.Refuse(Name, ExitCodes.PermissionDenied, $"{user} lacks {needs}");
    }
}
