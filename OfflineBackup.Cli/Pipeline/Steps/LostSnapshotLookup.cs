using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// The look for a snapshot whose CreateSnapshot answer was lost, once the database is back:
/// EC2 carries out a request it received whatever became of the caller, so the snapshot may
/// appear a moment later. Looks a few times by the run-id tag; the next run looks again from
/// the journal. Never throws: a lookup that fails is a snapshot not found yet.
/// </summary>
public static class LostSnapshotLookup
{
    /// <summary>How long the look may take; the next run looks again.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <param name="after">What came before the look, for the log: "the restart", "the release".</param>
    public static async Task<Snapshot?> FindAsync(ISnapshotStore store, string volumeId, string runId, TimeProvider clock, string after)
    {
        ArgumentNullException.ThrowIfNull(store);
        var looking = clock.GetTimestamp();
        while (true)
        {
            using var limit = new CancellationTokenSource(Limit, clock);
            try
            {
                if (await store.FindByRunIdAsync(volumeId, runId, limit.Token) is { } found)
                {
                    return found;
                }
            }
            catch (Exception e) when (e is BackupException or OperationCanceledException)
            {
                Log.WithProperty("step", "snapshot").Info("looking up run {runId} after {after} failed: {error}", runId, after, e.Message);
                return null;
            }

            if (clock.GetElapsedTime(looking) + Poll > Limit)
            {
                return null;
            }

            await Task.Delay(Poll, clock, CancellationToken.None);
        }
    }
}
