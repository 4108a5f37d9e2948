namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>The safety properties of a plan, each written from the rules, independently of the planner.</summary>
internal static class RetentionPlanChecks
{
    public static string? FirstViolation(RandomInventory inventory, RetentionPlan plan)
    {
        var policy = inventory.Policy;
        var now = inventory.Now;

        if (plan.Decisions.Count != inventory.Snapshots.Count)
        {
            return $"{plan.Decisions.Count} decisions for {inventory.Snapshots.Count} snapshots";
        }

        var decided = plan.Decisions.Select(d => d.Snapshot).ToHashSet(ReferenceEqualityComparer.Instance);
        if (decided.Count != inventory.Snapshots.Count || inventory.Snapshots.Any(s => !decided.Contains(s)))
        {
            return "not every input snapshot has exactly one decision";
        }

        for (var i = 1; i < plan.Decisions.Count; i++)
        {
            var (before, after) = (plan.Decisions[i - 1].Snapshot, plan.Decisions[i].Snapshot);
            if (before.StartTime > after.StartTime
                || (before.StartTime == after.StartTime && string.CompareOrdinal(before.Id, after.Id) > 0))
            {
                return $"decisions not ordered by StartTime then Id at {after.Id}";
            }
        }

        var own = inventory.Snapshots
            .Where(s => inventory.ExpectedOwnership(s.Id) != Ownership.Foreign && s.State == SnapshotState.Completed)
            .ToList();
        var newest = own
            .OrderByDescending(s => s.StartTime).ThenByDescending(s => s.Id, StringComparer.Ordinal)
            .Take(policy.MinKeep)
            .ToHashSet(ReferenceEqualityComparer.Instance);
        var calendar = CalendarKeeps(own, policy.Calendar);
        var deletable = own
            .Where(s => !newest.Contains(s) && s.StartTime <= now && now - s.StartTime > policy.Retention && !calendar.ContainsKey(s.Id)
                && !inventory.Protected.Contains(s.Id))
            .OrderBy(s => s.StartTime).ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();

        foreach (var decision in plan.Decisions)
        {
            var snapshot = decision.Snapshot;
            var ownership = inventory.ExpectedOwnership(snapshot.Id);
            if (decision.Ownership != ownership)
            {
                return $"{snapshot.Id} classed {decision.Ownership}, generated as {inventory.Kinds[snapshot.Id]} ({ownership})";
            }

            if (string.IsNullOrWhiteSpace(decision.Reason))
            {
                return $"{snapshot.Id} has no reason";
            }

            if (decision.IsDelete != (decision.ReasonCode == RetentionReason.Expired))
            {
                return $"{snapshot.Id}: action {decision.Action} with reason {decision.ReasonCode}";
            }

            foreach (var rule in calendar.GetValueOrDefault(snapshot.Id) ?? [])
            {
                if (!decision.Reason.Contains($"({rule})", StringComparison.Ordinal))
                {
                    return $"{snapshot.Id} is kept by {rule}, but its reason does not say so: {decision.Reason}";
                }
            }

            if (!decision.IsDelete)
            {
                continue;
            }

            var why = ownership == Ownership.Foreign ? "foreign (or legacy not adopted)"
                : inventory.Protected.Contains(snapshot.Id) ? "locked or in use by an AMI"
                : snapshot.State != SnapshotState.Completed ? $"{snapshot.State}"
                : snapshot.StartTime > now ? "start time in the future"
                : newest.Contains(snapshot) ? $"one of the newest {policy.MinKeep}"
                : now - snapshot.StartTime <= policy.Retention ? "not expired"
                : calendar.TryGetValue(snapshot.Id, out var rules) ? $"kept by {string.Join(", ", rules)}"
                : null;
            if (why is not null)
            {
                return $"deleted {snapshot.Id}, which is {why}";
            }
        }

        if (plan.ToDelete.Count > policy.MaxDeletes)
        {
            return $"{plan.ToDelete.Count} deletions > max_deletes {policy.MaxDeletes}";
        }

        var expected = deletable.Take(policy.MaxDeletes).Select(s => s.Id);
        if (!plan.ToDelete.Select(d => d.SnapshotId).SequenceEqual(expected))
        {
            return $"deleted [{string.Join(", ", plan.ToDelete.Select(d => d.SnapshotId))}], "
                + $"want the oldest expired of ours [{string.Join(", ", expected)}]";
        }

        var deferred = deletable.Skip(policy.MaxDeletes).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var reportedDeferred = plan.Decisions.Where(d => d.ReasonCode == RetentionReason.OverMaxDeletes).Select(d => d.SnapshotId);
        return deferred.SetEquals(reportedDeferred) ? null : "expired snapshots past max_deletes not all reported as deferred";
    }

    /// <summary>
    /// The calendar rules written as grouping rather than as the planner's newest-first walk: per
    /// rule, the newest snapshot of each period, the newest N periods. Values are "keep_daily 3".
    /// </summary>
    private static Dictionary<string, List<string>> CalendarKeeps(List<Snapshot> own, CalendarRules rules)
    {
        var keeps = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var local = (Snapshot s) => TimeZoneInfo.ConvertTime(s.StartTime, rules.TimeZone).DateTime;
        var periods = new (string Key, int Count, Func<DateTime, string> Bucket)[]
        {
            ("keep_daily", rules.KeepDaily, t => t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ("keep_weekly", rules.KeepWeekly, t => $"{System.Globalization.ISOWeek.GetYear(t)}/{System.Globalization.ISOWeek.GetWeekOfYear(t)}"),
            ("keep_monthly", rules.KeepMonthly, t => $"{t.Year}/{t.Month}"),
        };
        foreach (var (key, count, bucket) in periods)
        {
            var newestPerPeriod = own
                .GroupBy(s => bucket(local(s)))
                .Select(g => g.OrderByDescending(s => s.StartTime).ThenByDescending(s => s.Id, StringComparer.Ordinal).First())
                .OrderByDescending(s => s.StartTime).ThenByDescending(s => s.Id, StringComparer.Ordinal)
                .Take(count);
            foreach (var snapshot in newestPerPeriod)
            {
                if (!keeps.TryGetValue(snapshot.Id, out var list))
                {
                    keeps[snapshot.Id] = list = [];
                }

                list.Add($"{key} {count}");
            }
        }

        return keeps;
    }
}
