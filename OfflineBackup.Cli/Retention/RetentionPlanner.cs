using OfflineBackup.Aws;

namespace OfflineBackup.Retention;

/// <summary>
/// Decides which snapshots retention deletes. Pure: no clock, no AWS, no logging; the same
/// inventory, policy and time always give the same plan, whatever order the inventory came in.
/// </summary>
public static class RetentionPlanner
{
    /// <summary>
    /// One decision per snapshot. Deletes only completed snapshots of ours (or adopted legacy)
    /// for the policy's volume, older than the retention, outside the newest min_keep, with a
    /// start time not in the future, kept by no calendar rule, neither locked nor marked in use
    /// by an AMI; at most max_deletes of them, oldest first.
    /// </summary>
    /// <exception cref="ArgumentException">The policy is invalid or a snapshot id appears twice.</exception>
    public static RetentionPlan Plan(IReadOnlyList<Snapshot> snapshots, RetentionPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        RejectDuplicates(snapshots);

        var ordered = snapshots
            .OrderBy(s => s.StartTime)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();

        var decisions = new RetentionDecision?[ordered.Count];
        var completedOwn = new List<(int Index, Ownership Ownership)>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var snapshot = ordered[i];
            var verdict = OwnershipClassifier.Classify(snapshot, policy);
            if (verdict.ForeignReason is { } foreignReason)
            {
                decisions[i] = Keep(snapshot, verdict.Ownership, foreignReason, WithLock(verdict.ForeignText!, snapshot));
            }
            else if (snapshot.State == SnapshotState.Completed)
            {
                completedOwn.Add((i, verdict.Ownership));
            }
            else
            {
                decisions[i] = KeepUnfinished(snapshot, verdict.Ownership);
            }
        }

        // completedOwn is oldest first: the newest min_keep are its tail, deletions take its head.
        var firstProtected = completedOwn.Count - policy.MinKeep;
        var calendar = CalendarKeeper.Keeps(completedOwn.Select(c => ordered[c.Index]).ToList(), policy.Calendar);
        var deletes = 0;
        for (var rank = 0; rank < completedOwn.Count; rank++)
        {
            var (index, ownership) = completedOwn[rank];
            var snapshot = ordered[index];
            var calendarReasons = calendar.GetValueOrDefault(snapshot.Id) ?? [];
            var decision = DecideCompleted(snapshot, ownership, rank >= firstProtected, calendarReasons, deletes, policy, now);
            deletes += decision.IsDelete ? 1 : 0;
            decisions[index] = decision;
        }

        return new RetentionPlan(policy, now, decisions.Select(d => d!).ToList());
    }

    // A lock or an in-use mark comes first (EC2 would refuse the delete whatever the rules say);
    // then the first of future/min_keep/retention_seconds, as it always did (so today's configs
    // read as before); then every calendar rule that keeps the snapshot. All are named.
    private static RetentionDecision DecideCompleted(
        Snapshot snapshot,
        Ownership ownership,
        bool isNewest,
        IReadOnlyList<string> calendarReasons,
        int deletesSoFar,
        RetentionPolicy policy,
        DateTimeOffset now)
    {
        var age = now - snapshot.StartTime;
        var keeps = new List<(RetentionReason Code, string Text)>();
        if (snapshot.Lock is { IsActive: true } snapshotLock)
        {
            keeps.Add((RetentionReason.Locked, ReasonText.Locked(snapshotLock)));
        }

        // A mark from the future (clock skew) keeps for a week from now at most, never for ever.
        if (InUseMark.Read(snapshot) is var (image, at) && now - at < InUseMark.Recheck && at - now < InUseMark.Recheck)
        {
            keeps.Add((RetentionReason.InUse, ReasonText.InUse(image, at, InUseMark.Recheck)));
        }

        if (age < TimeSpan.Zero)
        {
            keeps.Add((RetentionReason.FutureStartTime, ReasonText.FutureStartTime(age.Negate())));
        }
        else if (isNewest)
        {
            keeps.Add((RetentionReason.NewestKept, ReasonText.NewestKept(policy.MinKeep)));
        }
        else if (age <= policy.Retention)
        {
            keeps.Add((RetentionReason.Unexpired, ReasonText.Unexpired(age, policy.Retention)));
        }

        keeps.AddRange(calendarReasons.Select(text => (RetentionReason.CalendarKept, text)));
        if (keeps.Count > 0)
        {
            return Keep(snapshot, ownership, keeps[0].Code, string.Join("; ", keeps.Select(k => k.Text)));
        }

        if (deletesSoFar >= policy.MaxDeletes)
        {
            return Keep(snapshot, ownership, RetentionReason.OverMaxDeletes,
                ReasonText.OverMaxDeletes(policy.MaxDeletes, age, policy.Retention));
        }

        return new RetentionDecision(snapshot, RetentionAction.Delete, ownership, RetentionReason.Expired,
            ReasonText.Expired(age, policy.Retention));
    }

    private static RetentionDecision KeepUnfinished(Snapshot snapshot, Ownership ownership) => snapshot.State switch
    {
        SnapshotState.Pending => Keep(snapshot, ownership, RetentionReason.Pending, WithLock(ReasonText.Pending, snapshot)),
        SnapshotState.Error => Keep(snapshot, ownership, RetentionReason.Error, WithLock(ReasonText.Error, snapshot)),
        _ => Keep(snapshot, ownership, RetentionReason.UnknownState, WithLock(ReasonText.UnknownState, snapshot)),
    };

    // Snapshots kept for another reason still say they are locked, so `list` shows every lock.
    private static string WithLock(string reason, Snapshot snapshot) =>
        snapshot.Lock is { IsActive: true } snapshotLock ? $"{reason}; {ReasonText.Locked(snapshotLock)}" : reason;

    private static RetentionDecision Keep(Snapshot snapshot, Ownership ownership, RetentionReason reason, string text) =>
        new(snapshot, RetentionAction.Keep, ownership, reason, text);

    // Two entries with one id mean the inventory is broken (e.g. a paging bug); planning on it
    // would give one snapshot two decisions.
    private static void RejectDuplicates(IReadOnlyList<Snapshot> snapshots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots)
        {
            ArgumentNullException.ThrowIfNull(snapshot, nameof(snapshots));
            if (!seen.Add(snapshot.Id))
            {
                throw new ArgumentException($"snapshot {snapshot.Id} appears twice in the inventory", nameof(snapshots));
            }
        }
    }
}
