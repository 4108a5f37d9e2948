namespace OfflineBackup.Aws;

/// <summary>
/// Every tag this tool writes, with the values it gives some of them; the IAM policy in the
/// README names these keys. The first ones are how it recognises its own snapshots: retention
/// trusts them and nothing else (plus, with adopt_legacy, the original tool's tag set), and the
/// policy allows DeleteSnapshot only on snapshots carrying <see cref="CreatedBy"/>.
/// </summary>
public static class ToolTags
{
    public const string CreatedBy = "offline-backup:created-by";
    public const string CreatedByValue = "offline-backup";
    public const string Volume = "offline-backup:volume-id";
    public const string Host = "offline-backup:host";
    public const string RunId = "offline-backup:run-id";
    public const string Method = "offline-backup:consistency";
    public const string MethodValue = "mysql-stopped";

    /// <summary>Online mode: commits blocked around CreateSnapshot, crash-consistent (InnoDB recovers it).</summary>
    public const string MethodOnline = "mysql-online";

    /// <summary>Online mode with the data directory's filesystem frozen around CreateSnapshot too.</summary>
    public const string MethodOnlineFrozen = "mysql-online-frozen";

    /// <summary>
    /// An online snapshot whose CreateSnapshot was answered (or found) only after the block had
    /// been released: taken while commits went on, so neither consistent with a position nor
    /// carrying one. Retention treats it as any snapshot of ours; restores should prefer others.
    /// </summary>
    public const string MethodInconsistentLate = "inconsistent-late";

    /// <summary>
    /// Set by retention when DeleteSnapshot answered InvalidSnapshot.InUse ("ami-... at <UTC time>"),
    /// so later runs keep the snapshot without spending a max_deletes slot on it; see InUseMark.
    /// </summary>
    public const string InUse = "offline-backup:in-use";

    /// <summary>On a copy in the copy region: the snapshot it was copied from, and that snapshot's region.</summary>
    public const string SourceSnapshot = "offline-backup:source-snapshot-id";
    public const string SourceRegion = "offline-backup:source-region";

    // The original tool's tags, kept so dashboards and legacy retention keep working.
    public const string Name = "Name";
    public const string Role = "role";
    public const string Schema = "schema";
    public const string Environment = "Environment";

    /// <summary>On a volume made by restore or drill: the snapshot it was made from, and why (see VolumeTags).</summary>
    public const string VolumeSourceSnapshot = "offline-backup:source-snapshot";
    public const string Purpose = "offline-backup:purpose";

    /// <summary>On a snapshot a drill restored: when, how it went, and when it last passed.</summary>
    public const string LastDrill = "offline-backup:last-drill";
    public const string LastDrillResult = "offline-backup:last-drill-result";
    public const string LastPassedDrill = "offline-backup:last-passed-drill";

    /// <summary>A position recorded at snapshot time by online mode: "file:position" or a GTID set.</summary>
    public const string ReplicaPosition = "offline-backup:replica-position";
}
