namespace OfflineBackup.Retention;

/// <summary>
/// The rule that decided a snapshot's fate; the machine-readable twin of
/// <see cref="RetentionDecision.Reason"/>. Only <see cref="Expired"/> means Delete.
/// </summary>
public enum RetentionReason
{
    /// <summary>The snapshot is of another EBS volume.</summary>
    OtherVolume,

    /// <summary>No (or not our) ownership tag for this volume.</summary>
    NotOurs,

    /// <summary>The original tool's tags, but adopt_legacy is off.</summary>
    LegacyNotAdopted,

    Pending,
    Error,

    /// <summary>A state this tool does not know; never guess that it is safe to delete.</summary>
    UnknownState,

    /// <summary>StartTime after now: this host's clock is behind, so its age cannot be trusted.</summary>
    FutureStartTime,

    /// <summary>One of the newest min_keep completed snapshots of ours.</summary>
    NewestKept,

    /// <summary>Not older than the retention period.</summary>
    Unexpired,

    /// <summary>Older than the retention period: deleted.</summary>
    Expired,

    /// <summary>Expired, but this run already reached max_deletes; a later run deletes it.</summary>
    OverMaxDeletes,

    /// <summary>The newest of a day, ISO week or month that keep_daily/keep_weekly/keep_monthly keeps.</summary>
    CalendarKept,

    /// <summary>A Snapshot Lock that has not expired: EC2 would refuse the delete.</summary>
    Locked,

    /// <summary>DeleteSnapshot answered InvalidSnapshot.InUse within the last week (the offline-backup:in-use tag).</summary>
    InUse,
}
