using OfflineBackup.Aws;

namespace OfflineBackup.Retention;

/// <summary>
/// Applies <see cref="CalendarRules"/> to the completed snapshots of ours, as restic's forget
/// does: walking newest first, a snapshot is kept by a rule when it opens a period that rule has
/// not seen yet, until the rule has kept its count. Pure, like the planner it serves.
/// </summary>
internal static class CalendarKeeper
{
    /// <summary>For each kept snapshot id, one reason per rule that keeps it, e.g. "newest of day 2026-11-28 (keep_daily 7)".</summary>
    /// <param name="oldestFirst">Completed snapshots of ours, oldest first (the planner's order).</param>
    public static Dictionary<string, List<string>> Keeps(IReadOnlyList<Snapshot> oldestFirst, CalendarRules rules)
    {
        var keeps = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var rule in rules.Active())
        {
            string? lastBucket = null;
            var kept = 0;
            for (var i = oldestFirst.Count - 1; i >= 0 && kept < rule.Count; i--)
            {
                var snapshot = oldestFirst[i];
                var bucket = rule.Bucket(rules.Local(snapshot.StartTime));
                if (bucket == lastBucket)
                {
                    continue;
                }

                lastBucket = bucket;
                kept++;
                if (!keeps.TryGetValue(snapshot.Id, out var reasons))
                {
                    keeps[snapshot.Id] = reasons = [];
                }

                reasons.Add(ReasonText.CalendarKept(rule.Period, bucket, rules.ZoneSuffix, rule.Key, rule.Count));
            }
        }

        return keeps;
    }
}
