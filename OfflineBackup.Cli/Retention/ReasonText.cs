using OfflineBackup.Aws;
using OfflineBackup.Text;

namespace OfflineBackup.Retention;

/// <summary>
/// Every reason string the planner writes, in one place so the README and the tests can be kept
/// in step. Each says what rule applied and, where it matters, the numbers that decided it.
/// </summary>
internal static class ReasonText
{
    public const string NoOwnershipTag = "foreign: no offline-backup ownership tag";

    public const string CreatedByOther =
        "foreign: " + ToolTags.CreatedBy + " is not '" + ToolTags.CreatedByValue + "'";

    public const string VolumeTagMissing =
        "foreign: " + ToolTags.CreatedBy + " without " + ToolTags.Volume + " tag";

    public const string LegacyNotAdopted =
        "foreign: original tool's role/schema/Environment tags, adopt_legacy is off";

    public const string NotACopy = "foreign: no " + ToolTags.SourceSnapshot + " tag, so not a copy made by offline-backup";

    public const string Pending = "pending: never deleted";

    public const string Error = "error: kept for inspection";

    public const string UnknownState = "state unknown to offline-backup: never deleted";

    public static string OtherVolume(string snapshotVolume) =>
        $"foreign: snapshot of another volume ({snapshotVolume})";

    public static string VolumeTagOther(string policyVolume) =>
        $"foreign: {ToolTags.Volume} tag names another volume, not {policyVolume}";

    public static string FutureStartTime(TimeSpan ahead)
    {
        var text = ahead < TimeSpan.FromSeconds(1) ? "under 1s" : Durations.Exact(ahead);
        return $"start time {text} in the future (clock skew?): never deleted";
    }

    /// <summary>"newest of ISO week 2026-W47 (keep_weekly 4)", "newest of day 2026-11-28 in Europe/Paris (keep_daily 7)".</summary>
    public static string CalendarKept(string period, string bucket, string zoneSuffix, string key, int count) =>
        $"newest of {period} {bucket}{zoneSuffix} ({key} {count})";

    /// <summary>"locked (compliance until 2026-12-01 00:00:00Z): never deleted".</summary>
    public static string Locked(SnapshotLock snapshotLock) =>
        $"locked ({snapshotLock.State} until {(snapshotLock.ExpiresOn is { } end ? Durations.Utc(end) : "no end given")}): never deleted";

    /// <summary>"in use by ami-0abc (found 2026-11-28 23:00:00Z; tried again after 2026-12-05 23:00:00Z)".</summary>
    public static string InUse(string image, DateTimeOffset at, TimeSpan recheck) =>
        $"in use by {image} (found {Durations.Utc(at)}; tried again after {Durations.Utc(at + recheck)})";

    public static string NewestKept(int minKeep) => $"newest {minKeep} completed kept (min_keep)";

    public static string Unexpired(TimeSpan age, TimeSpan retention)
    {
        var (a, r) = Durations.ExactDistinct(age, retention);
        return age < retention
            ? $"younger than retention ({a} < {r})"
            : $"not yet expired ({a} old = retention {r})";
    }

    public static string Expired(TimeSpan age, TimeSpan retention)
    {
        var (a, r) = Durations.ExactDistinct(age, retention);
        return $"expired: {a} old > {r}";
    }

    public static string OverMaxDeletes(int maxDeletes, TimeSpan age, TimeSpan retention) =>
        $"over max_deletes ({maxDeletes}) this run: next run ({Expired(age, retention)})";
}
