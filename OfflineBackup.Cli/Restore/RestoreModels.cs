using OfflineBackup.Aws;

namespace OfflineBackup.Restore;

/// <summary>How the new volume is made: zone and performance, as CreateVolume takes them.</summary>
public sealed record VolumeShape(string AvailabilityZone, string? VolumeType, int? Iops, int? Throughput);

/// <summary>Attach to this instance as this device name (null: the first name free on the instance).</summary>
public sealed record AttachTarget(string InstanceId, string? Device);

/// <summary>A volume made from a snapshot, attached or not; the local device once the kernel shows it.</summary>
public sealed record RestoredVolume(string VolumeId, string SnapshotId, string AvailabilityZone)
{
    public string? InstanceId { get; init; }

    /// <summary>The name given to AttachVolume (/dev/sdg); the kernel's name differs on Nitro.</summary>
    public string? AttachedAs { get; init; }

    /// <summary>The by-id link the volume appeared under.</summary>
    public string? DeviceLink { get; init; }

    /// <summary>The block device the link resolves to (/dev/nvme2n1, /dev/loop7).</summary>
    public string? Device { get; init; }
}

/// <summary>
/// Where replication resumes on a restored copy. Stop mode: the server's own tables hold it
/// (mysql.gtid_slave_pos on MariaDB); online mode records it in the snapshot's tag and in the
/// position file in the data directory (<see cref="PositionFile"/>).
/// </summary>
public sealed record ReplicaPosition(string Source, string? GtidSet, string? BinlogFile, long? BinlogPosition)
{
    public static ReplicaPosition FromSnapshot(Snapshot snapshot) =>
        snapshot.Tag(ToolTags.ReplicaPosition) is { Length: > 0 } tag
            ? Parse(tag, $"the snapshot's tag {ToolTags.ReplicaPosition}") ?? InServerTables
            : InServerTables;

    public static ReplicaPosition InServerTables { get; } =
        new("the restored server's own replication state (stop mode: mysql.gtid_slave_pos and the relay log info)", null, null, null);

    /// <summary>True when the position is a recorded one (tag or file), not the server's own state.</summary>
    public bool IsRecorded => GtidSet is not null || BinlogFile is not null;

    /// <summary>"gtid 0-1-42" or "binlog mysql-bin.000003:1234", for a report.</summary>
    public string Describe() => BinlogFile is { } file
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"binlog {file}:{BinlogPosition}")
        : GtidSet is { } gtid ? $"gtid {gtid}" : Source;

    /// <summary>
    /// "gtid:0-1-42" or "file:mysql-bin.000003:1234" (the tag's and the position file's first
    /// line's format); null for anything else.
    /// </summary>
    public static ReplicaPosition? Parse(string text, string source)
    {
        // Tag values are anyone's free text and end up in printed SQL: only well-formed ones count.
        if (text.StartsWith("gtid:", StringComparison.Ordinal) && text.Length > 5 && text[5..].All(c => char.IsAsciiHexDigit(c) || c is '-' or ':' or ','))
        {
            return new(source, text[5..], null, null);
        }

        var parts = text.Split(':');
        if (parts is ["file", { Length: > 0 } file, var position] && file.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && long.TryParse(position, System.Globalization.CultureInfo.InvariantCulture, out var at))
        {
            return new(source, null, file, at);
        }

        return null;
    }
}
