using NLog;
using OfflineBackup.Errors;
using OfflineBackup.MySql;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// Replication around the stop: STOP REPLICA first so the applier halts at a transaction
/// boundary, and afterwards START REPLICA for exactly the channels that ran before, whether the
/// server came back with replication running or (skip-replica-start) without it.
/// </summary>
public sealed class ReplicationStep(IReplicaServer replica, TimeProvider clock)
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>The channels whose threads both run now: what must run again after the backup.</summary>
    public async Task<IReadOnlyList<string>> RunningChannelsAsync(CancellationToken cancellationToken)
    {
        var state = await replica.ReadStateAsync(cancellationToken);
        return state.Channels.Where(c => c.IoRunning && c.SqlRunning).Select(c => c.Name).ToList();
    }

    /// <summary>What <see cref="StopAsync"/> does, for the dry run.</summary>
    public static PlannedStep DescribeStop() =>
        new("stop replication (STOP REPLICA), refusing if the applier holds temporary tables");

    /// <summary>Stops replication, then refuses if the applier holds temporary tables a shutdown would lose.</summary>
    public async Task StopAsync(IReadOnlyList<string> channelsToRestore, CancellationToken cancellationToken)
    {
        await replica.StopReplicationAsync(cancellationToken);
        var state = await replica.ReadStateAsync(cancellationToken);
        var holding = state.Channels.Where(c => c.OpenTempTables > 0).ToList();
        if (holding.Count == 0)
        {
            return;
        }

        await replica.StartReplicationAsync(channelsToRestore, cancellationToken);
        var names = string.Join(", ", holding.Select(c => $"{ChannelName(c.Name)}: {c.OpenTempTables}"));
        throw new BackupException(
            ExitCodes.ReplicaUnhealthy,
            $"the replica's applier holds open temporary tables ({names}); a shutdown now would lose them. "
            + "Replication was restarted; the next hourly run tries again");
    }

    /// <summary>
    /// Starts the channels that ran before and waits until both their threads run. Returns the
    /// problems found (empty when replication is back); never throws for a stubborn channel,
    /// because MySQL is already up and the report must say what is wrong.
    /// </summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(IReadOnlyList<string> channels, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (channels.Count == 0)
        {
            return [];
        }

        var state = await replica.ReadStateAsync(cancellationToken);
        var idle = state.Channels.Where(c => channels.Contains(c.Name) && !(c.IoRunning && c.SqlRunning)).Select(c => c.Name).ToList();
        if (idle.Count > 0)
        {
            Log.WithProperty("step", "start").Info("starting replication on {channels}", string.Join(", ", idle.Select(ChannelName)));
            await replica.StartReplicationAsync(idle, cancellationToken);
        }

        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            state = await replica.ReadStateAsync(cancellationToken);
            var notRunning = state.Channels.Where(c => channels.Contains(c.Name) && !(c.IoRunning && c.SqlRunning)).ToList();
            var missing = channels.Where(name => state.Channels.All(c => c.Name != name)).ToList();
            if (notRunning.Count == 0 && missing.Count == 0)
            {
                return [];
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return notRunning
                    .Select(c => $"replication {ChannelName(c.Name)} is not running (IO {(c.IoRunning ? "running" : "stopped")}, SQL {(c.SqlRunning ? "running" : "stopped")}){Errors(c)}")
                    .Concat(missing.Select(name => $"replication {ChannelName(name)} no longer exists"))
                    .ToList();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, cancellationToken);
        }
    }

    private static string ChannelName(string name) => name.Length == 0 ? "default channel" : $"channel '{name}'";

    private static string Errors(ReplicaChannel channel)
    {
        var errors = new[] { channel.LastIoError, channel.LastSqlError }.Where(e => !string.IsNullOrWhiteSpace(e)).ToList();
        return errors.Count == 0 ? string.Empty : ": " + string.Join("; ", errors);
    }
}
