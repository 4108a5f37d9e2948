using OfflineBackup.Errors;

namespace OfflineBackup.MySql;

/// <summary>
/// What the replica and privilege guards need, read together (over one connection by
/// <see cref="MySqlReplicaServer"/>): the server's state and the privileges the user lacks. Each
/// half carries its own failure, so that one guard's refusal does not become the other's.
/// </summary>
public sealed record ReplicaInspection(
    ServerState? State,
    BackupException? StateError,
    IReadOnlyList<MissingPrivilege>? Missing,
    BackupException? MissingError)
{
    /// <summary>The state, or the anticipated failure that kept it from being read.</summary>
    public ServerState RequireState() => State ?? throw StateError!;

    /// <summary>The missing privileges, or the anticipated failure that kept them from being found.</summary>
    public IReadOnlyList<MissingPrivilege> RequireMissing() => Missing ?? throw MissingError!;

    /// <summary>Runs the two reads one after the other: for adapters without a cheaper way.</summary>
    public static async Task<ReplicaInspection> ReadSeparatelyAsync(IReplicaServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var (state, stateError) = await AttemptAsync(() => server.ReadStateAsync(cancellationToken));
        var (missing, missingError) = await AttemptAsync(() => server.FindMissingPrivilegesAsync(cancellationToken));
        return new ReplicaInspection(state, stateError, missing, missingError);
    }

    internal static async Task<(T? Value, BackupException? Error)> AttemptAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return (await read(), null);
        }
        catch (BackupException e)
        {
            return (null, e);
        }
    }
}
