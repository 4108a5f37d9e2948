using System.Globalization;

namespace OfflineBackup.MySql;

/// <summary>The replica guard's verdict, worded for the DBA who reads the cron mail.</summary>
public sealed record ReplicaHealthVerdict(bool Healthy, string Detail)
{
    /// <summary>The largest lag over the channels; null unless every channel replicates with a known lag.</summary>
    public TimeSpan? Lag { get; init; }
}

/// <summary>
/// Decides whether a server may be stopped for a snapshot: only a read-only replica whose every
/// channel replicates, with a known lag within the limit. Pure; the caller reads the state.
/// </summary>
public static class ReplicaHealth
{
    public static ReplicaHealthVerdict Evaluate(ServerState state, TimeSpan maxLag)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.ReadOnly)
        {
            return Refuse(
                "the server is writable (read_only=0): a primary or a promoted replica is never stopped; " +
                "point the tool at a read-only replica or SET GLOBAL read_only=1 if this is one");
        }

        if (!state.IsReplica)
        {
            return Refuse(
                "the server is not a replica (the replication status is empty): only a replica is stopped for a snapshot");
        }

        var limit = (long)maxLag.TotalSeconds;
        var problems = new List<string>();
        foreach (var channel in state.Channels)
        {
            var name = Describe(channel);
            if (!channel.IoRunning)
            {
                problems.Add($"{name}: the IO thread is not running ({LastError(channel.LastIoError)})");
            }

            if (!channel.SqlRunning)
            {
                problems.Add($"{name}: the SQL thread is not running ({LastError(channel.LastSqlError)})");
            }

            if (!channel.IoRunning || !channel.SqlRunning)
            {
                continue;
            }

            if (channel.SecondsBehind is not { } behind)
            {
                problems.Add($"{name}: the lag is NULL, which means replication is broken, not that there is no lag");
            }
            else if (behind > limit)
            {
                problems.Add(
                    $"{name}: {behind} s ({Human(behind)}) behind the primary, more than the limit of {limit} s ({Human(limit)})");
            }
        }

        var lag = state.Channels.Count > 0 && state.Channels.All(c => c.IoRunning && c.SqlRunning && c.SecondsBehind is not null)
            ? TimeSpan.FromSeconds(state.Channels.Max(c => c.SecondsBehind!.Value))
            : (TimeSpan?)null;
        if (problems.Count > 0)
        {
            return Refuse("replica unhealthy: " + string.Join("; ", problems)) with { Lag = lag };
        }

        var lags = state.Channels.Select(c => $"{Describe(c)} {c.SecondsBehind} s behind");
        return new ReplicaHealthVerdict(
            true,
            $"replica healthy (read_only=1): {string.Join(", ", lags)}; limit {limit} s ({Human(limit)})") { Lag = lag };
    }

    private static ReplicaHealthVerdict Refuse(string reason) => new(false, reason);

    private static string Describe(ReplicaChannel channel) =>
        channel.Name.Length == 0 ? "default channel" : $"channel '{channel.Name}'";

    private static string LastError(string error) =>
        error.Length == 0 ? "no error reported: it was stopped; START REPLICA resumes it" : "last error: " + error;

    private static string Human(long seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}h {span.Minutes}m {span.Seconds}s");
    }
}
