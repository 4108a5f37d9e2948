using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Json;
using OfflineBackup.Aws;
using OfflineBackup.Retention;
using OfflineBackup.Text;

namespace OfflineBackup.Commands;

/// <summary>
/// One snapshot as <c>list</c> and <c>prune</c> show it: what EC2 says plus the retention verdict.
/// The property names, as snake_case JSON, are a contract with scripts: add, never rename.
/// </summary>
public sealed record SnapshotRow(
    string SnapshotId,
    string State,
    string Progress,
    string StartTime,
    long AgeSeconds,
    string Age,
    int SizeGib,
    string Ownership,
    string Verdict,
    string ReasonCode,
    string Reason)
{
    /// <summary>The start time itself, for text output; the JSON carries <see cref="StartTime"/>.</summary>
    [JsonIgnore]
    public DateTimeOffset Started { get; init; }

    /// <summary>How it was taken (the offline-backup:consistency tag: mysql-stopped, mysql-online, ...); "-" when untagged.</summary>
    public string Consistency { get; init; } = "-";

    /// <summary>The JSON shape of every list/prune document.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,

        // Reasons read "5d old > 2d 21h": the output goes to a terminal or jq, never into HTML,
        // so there is no need to escape <, > and ' as \u003C and the like.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static SnapshotRow From(RetentionDecision decision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var snapshot = decision.Snapshot;
        var age = now - snapshot.StartTime;
        return new SnapshotRow(
            snapshot.Id,
            StateName(snapshot.State),
            snapshot.Progress,
            IsoUtc(snapshot.StartTime),
            (long)Math.Floor(age.TotalSeconds),
            Durations.Human(age),
            snapshot.VolumeSizeGiB,
            Lower(decision.Ownership.ToString()),
            Lower(decision.Action.ToString()),
            JsonNamingPolicy.SnakeCaseLower.ConvertName(decision.ReasonCode.ToString()),
            decision.Reason)
        {
            Started = snapshot.StartTime,
            Consistency = snapshot.Tag(ToolTags.Method) is { Length: > 0 } method ? method : "-",
        };
    }

    /// <summary>Every decision of the plan, newest first (the plan itself is oldest first).</summary>
    public static List<SnapshotRow> NewestFirst(RetentionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Decisions.Reverse().Select(d => From(d, plan.Now)).ToList();
    }

    /// <summary>ISO 8601 in UTC with milliseconds, as EC2 reports start times.</summary>
    public static string IsoUtc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string StateName(SnapshotState state) => state switch
    {
        SnapshotState.Pending => "pending",
        SnapshotState.Completed => "completed",
        SnapshotState.Error => "error",
        _ => "unknown",
    };

    private static string Lower(string name) => name.ToLowerInvariant();
}
