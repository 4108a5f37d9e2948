using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Bench;

/// <summary>
/// Follows replication while a run goes on: every <see cref="Interval"/> the primary's GTID
/// position and the replica's (none while it is down), with the time. Afterwards it tells how
/// long after a moment the replica had applied everything the primary had written by then.
/// </summary>
public sealed class ReplicationWatch : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly MariaDbReplicationPair _pair;
    private readonly List<(DateTimeOffset Time, long Primary, long? Replica)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private ReplicationWatch(MariaDbReplicationPair pair)
    {
        _pair = pair;
        _sampling = Task.Run(SampleAsync);
    }

    public static ReplicationWatch Start(MariaDbReplicationPair pair) => new(pair);

    /// <summary>
    /// How long after <paramref name="moment"/> the replica reached the primary's position at that
    /// moment; waits (sampling on) up to <paramref name="limit"/> for it.
    /// </summary>
    public async Task<TimeSpan> CatchUpAfterAsync(DateTimeOffset moment, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        while (true)
        {
            lock (_samples)
            {
                var target = _samples.LastOrDefault(s => s.Time <= moment).Primary;
                var reached = _samples.FirstOrDefault(s => s.Time >= moment && s.Replica >= target);
                if (target > 0 && reached.Time != default)
                {
                    return reached.Time - moment;
                }
            }

            if (_sampling.IsCompleted)
            {
                await _sampling;
            }

            await Task.Delay(Interval, deadline.Token);
        }
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var primary = Sequence(await _pair.Primary.ScalarAsync("SELECT @@gtid_binlog_pos", _stop.Token));
            long? replica;
            try
            {
                replica = Sequence(await _pair.Replica.ScalarAsync("SELECT @@gtid_slave_pos", _stop.Token));
            }
            catch (MySqlException)
            {
                replica = null;  // down, or not yet answering
            }

            lock (_samples)
            {
                _samples.Add((DateTimeOffset.UtcNow, primary, replica));
            }

            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>"0-1-12345" → 12345: the one replication domain's sequence number.</summary>
    private static long Sequence(object? position)
    {
        var text = Convert.ToString(position, CultureInfo.InvariantCulture) ?? string.Empty;
        var own = text.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(p => p.StartsWith("0-", StringComparison.Ordinal));
        return own is null ? 0 : long.Parse(own[(own.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-query: that is what was asked.
        }

        _stop.Dispose();
    }
}
