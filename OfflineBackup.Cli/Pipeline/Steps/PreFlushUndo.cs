using NLog;
using OfflineBackup.Errors;
using OfflineBackup.MySql;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// Puts the dirty-page limits a pre-flush lowered back to the originals its journal holds: by
/// a run on its way back (after a refusal, an error, a signal, or the restart), and by the next
/// run after a kill. A restart has already put them back (they were never persisted); that is
/// checked and said, not assumed.
/// </summary>
public sealed class PreFlushUndo(IInnoDbServer innoDb, TimeProvider clock)
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger().WithProperty("step", "preflush");

    /// <summary>Null when the limits are the originals again, else the problem for the report (what to run by hand).</summary>
    public async Task<string?> RestoreAsync(ChangedSettings changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var originals = changed.FlushLimits;
        try
        {
            var state = await innoDb.ReadAsync(cancellationToken);
            var restarted = state.Uptime < clock.GetUtcNow() - changed.ChangedAt;
            if (state.Limits == originals)
            {
                Log.Info(
                    restarted
                        ? "MySQL restarted since the pre-flush: {limits} are back by themselves (never persisted)"
                        : "{limits} are unchanged: nothing to put back",
                    originals);
                return null;
            }

            if (restarted)
            {
                // Not persisted by us, so a value after a restart that differs comes from the
                // server's own configuration; still, the journal's values are what the DBA had.
                Log.Warn(
                    "MySQL restarted since the pre-flush but reads {current}, not the originals {limits}: setting the originals", state.Limits, originals);
            }

            await innoDb.SetLimitsAsync(originals, cancellationToken);
            Log.Info("put back {limits}", originals);
            return null;
        }
        catch (BackupException e)
        {
            var message = $"the pre-flush's dirty-page limits could not be put back ({e.Message}); the next run retries, "
                + $"or run by hand: SET GLOBAL innodb_max_dirty_pages_pct = {Invariant(originals.MaxDirtyPagesPct)}; "
                + $"SET GLOBAL innodb_max_dirty_pages_pct_lwm = {Invariant(originals.MaxDirtyPagesPctLwm)};";
            Log.Error("{message}", message);
            return message;
        }
    }

    private static string Invariant(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
