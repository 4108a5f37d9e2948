namespace OfflineBackup.MySql;

// Placeholder until the MySQL adapter branch lands; replaced by its ReplicaHealth.
public sealed record ReplicaHealthResult(bool Healthy, string Detail);

public static class ReplicaHealth
{
    public static ReplicaHealthResult Evaluate(ServerState state, TimeSpan maxLag) =>
        new(state.ReadOnly && state.IsReplica, $"{state.Channels.Count} channels, limit {maxLag}");
}
