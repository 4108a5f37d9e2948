using Amazon.EC2.Model;
using OfflineBackup.Errors;
using Ec2Snapshot = Amazon.EC2.Model.Snapshot;

namespace OfflineBackup.Aws;

/// <summary>Copies an SDK snapshot into the tool's <see cref="Snapshot"/> record.</summary>
internal static class SnapshotMapping
{
    public static Snapshot ToSnapshot(Ec2Snapshot s) => new(
        s.SnapshotId,
        s.VolumeId,
        StateOf(s.State?.Value),
        s.Progress ?? "",
        StartTimeOf(s),
        s.VolumeSize ?? 0,
        s.Description ?? "",
        TagsOf(s.Tags));

    public static List<Tag> ToTags(IReadOnlyDictionary<string, string> tags) =>
        tags.Select(t => new Tag(t.Key, t.Value)).ToList();

    private static SnapshotState StateOf(string? state) => state switch
    {
        "pending" => SnapshotState.Pending,
        "completed" => SnapshotState.Completed,
        "error" => SnapshotState.Error,
        _ => SnapshotState.Other,
    };

    private static DateTimeOffset StartTimeOf(Ec2Snapshot s)
    {
        var start = s.StartTime
            ?? throw new BackupException(ExitCodes.SnapshotFailed, $"EC2 described snapshot {s.SnapshotId} without a start time");

        // EC2 sends UTC; an Unspecified kind from the unmarshaller still means UTC.
        return start.Kind switch
        {
            DateTimeKind.Local => new DateTimeOffset(start.ToUniversalTime()),
            _ => new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)),
        };
    }

    private static Dictionary<string, string> TagsOf(List<Tag>? tags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags ?? [])
        {
            result[tag.Key] = tag.Value ?? "";
        }

        return result;
    }
}
