using System.Globalization;
using System.Text.RegularExpressions;
using OfflineBackup.Aws;

namespace OfflineBackup.Retention;

/// <summary>
/// The offline-backup:in-use tag, "ami-0abc at 2026-11-28T23:00:00Z": retention's memory that
/// DeleteSnapshot answered InvalidSnapshot.InUse. A tag rather than a local file because it
/// survives a rebuilt host, shows in the console and in <c>list</c>, and needs no second source
/// of truth; rather than a DescribeImages call because that would cost a call and a permission on
/// every run for a rare case. Within <see cref="Recheck"/> of the mark the planner keeps the
/// snapshot without trying (so it no longer takes a max_deletes slot every run); after that it is
/// tried once more, and the mark is renewed if the image is still there. A mark only ever keeps:
/// one that cannot be read is ignored, and the snapshot is planned as if it had none.
/// </summary>
public static partial class InUseMark
{
    /// <summary>How long a mark keeps a snapshot before retention tries the delete again.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromDays(7);

    public static string Format(string? imageId, DateTimeOffset at) =>
        $"{imageId ?? "an AMI"} at {at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>The image and the time of the mark on <paramref name="snapshot"/>, or null if it has none that reads.</summary>
    public static (string Image, DateTimeOffset At)? Read(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var match = snapshot.Tag(ToolTags.InUse) is { } value ? Pattern().Match(value) : null;
        if (match is not { Success: true }
            || !DateTimeOffset.TryParseExact(match.Groups["at"].Value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return null;
        }

        return (match.Groups["image"].Value, at);
    }

    // The image part is ours ("ami-..." or "an AMI"); anything else in the tag is not trusted.
    [GeneratedRegex(@"^(?<image>ami-[0-9a-zA-Z]{1,32}|an AMI) at (?<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
