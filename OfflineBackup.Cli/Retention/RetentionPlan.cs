namespace OfflineBackup.Retention;

/// <summary>
/// The planner's answer: one decision for every snapshot it was given, oldest first (StartTime,
/// then Id, so ties always come out in the same order). Built only by <see cref="RetentionPlanner"/>.
/// </summary>
public sealed record RetentionPlan
{
    internal RetentionPlan(RetentionPolicy policy, DateTimeOffset now, IReadOnlyList<RetentionDecision> decisions)
    {
        Policy = policy;
        Now = now;
        Decisions = decisions;
        ToDelete = decisions.Where(d => d.IsDelete).ToList();
        Kept = decisions.Where(d => !d.IsDelete).ToList();
    }

    public RetentionPolicy Policy { get; }

    public DateTimeOffset Now { get; }

    /// <summary>Every input snapshot exactly once, oldest first.</summary>
    public IReadOnlyList<RetentionDecision> Decisions { get; }

    /// <summary>The snapshots to delete, oldest first; never more than max_deletes.</summary>
    public IReadOnlyList<RetentionDecision> ToDelete { get; }

    public IReadOnlyList<RetentionDecision> Kept { get; }

    public int DeleteCount => ToDelete.Count;

    public int KeepCount => Kept.Count;

    /// <summary>Expired snapshots left for a later run because this run reached max_deletes.</summary>
    public int DeferredCount => Count(RetentionReason.OverMaxDeletes);

    public int Count(Ownership ownership) => Decisions.Count(d => d.Ownership == ownership);

    public int Count(RetentionReason reason) => Decisions.Count(d => d.ReasonCode == reason);

    public RetentionDecision? Find(string snapshotId) =>
        Decisions.FirstOrDefault(d => string.Equals(d.SnapshotId, snapshotId, StringComparison.Ordinal));

    /// <summary>One line for the run log, e.g. "12 snapshots: delete 2, keep 10 (ours 7, legacy 1, foreign 4; 0 deferred)".</summary>
    public string Summary() =>
        $"{Decisions.Count} snapshots: delete {DeleteCount}, keep {KeepCount} "
        + $"(ours {Count(Ownership.Ours)}, legacy {Count(Ownership.Legacy)}, foreign {Count(Ownership.Foreign)}; "
        + $"{DeferredCount} deferred by max_deletes)";
}
