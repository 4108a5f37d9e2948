using OfflineBackup.Retention;

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
        var deletable = own
            .Where(s => !newest.Contains(s) && s.StartTime <= now && now - s.StartTime > policy.Retention)
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

            if (!decision.IsDelete)
            {
                continue;
            }

            var why = ownership == Ownership.Foreign ? "foreign (or legacy not adopted)"
                : snapshot.State != SnapshotState.Completed ? $"{snapshot.State}"
                : snapshot.StartTime > now ? "start time in the future"
                : newest.Contains(snapshot) ? $"one of the newest {policy.MinKeep}"
                : now - snapshot.StartTime <= policy.Retention ? "not expired"
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
}
