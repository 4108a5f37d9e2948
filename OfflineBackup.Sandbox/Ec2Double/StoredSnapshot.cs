namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>One snapshot inside the double. Mutated only under the inventory's lock.</summary>
internal sealed class StoredSnapshot(
    string snapshotId,
    string volumeId,
    DateTimeOffset startTime,
    int volumeSizeGiB,
    string description,
    IReadOnlyDictionary<string, string> tags,
    string ownerId)
{
    public string SnapshotId { get; } = snapshotId;
    public string VolumeId { get; } = volumeId;
    public DateTimeOffset StartTime { get; } = startTime;
    public int VolumeSizeGiB { get; } = volumeSizeGiB;
    public string Description { get; } = description;
    /// <summary>Replaced whole (never mutated) by CreateTags, so views already handed out stay as they were.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; set; } = tags;
    public string OwnerId { get; } = ownerId;

    public string State { get; set; } = "pending";
    public string Progress { get; set; } = "0%";
    public string? StateMessage { get; set; }
    public string? InUseByImageId { get; set; }
    public Ec2SnapshotLock? Lock { get; set; }

    /// <summary>Null once settled, or for a seeded snapshot that only Complete/Fail may move.</summary>
    public SnapshotCompletion? Completion { get; set; }

    public int DescribesSinceCreation { get; set; }

    /// <summary>The copy of the volume's image taken when CreateSnapshot arrived; null without one.</summary>
    public Disks.ImageCopy? Image { get; init; }

    /// <summary>Applies the completion rule; called whenever the snapshot is about to be read.</summary>
    public void Advance(DateTimeOffset now)
    {
        if (State != "pending" || Completion is null)
        {
            return;
        }

        switch (Completion)
        {
            case SnapshotCompletion.AfterDescribeCalls rule:
                if (DescribesSinceCreation >= rule.Calls)
                {
                    MarkCompleted();
                }
                else
                {
                    Progress = $"{100 * DescribesSinceCreation / rule.Calls}%";
                }

                break;
            case SnapshotCompletion.AfterDuration rule:
                var elapsed = now - StartTime;
                if (elapsed >= rule.Duration)
                {
                    MarkCompleted();
                }
                else
                {
                    Progress = $"{(int)(100 * elapsed.Ticks / Math.Max(1, rule.Duration.Ticks))}%";
                }

                break;
        }
    }

    public void MarkCompleted()
    {
        State = "completed";
        Progress = "100%";
        Completion = null;
    }

    public void MarkFailed(string message)
    {
        State = "error";
        StateMessage = message;
        Completion = null;
    }

    public Ec2SnapshotView ToView() => new(
        SnapshotId, VolumeId, State, Progress, StartTime, VolumeSizeGiB, Description, Tags, OwnerId,
        StateMessage, InUseByImageId)
    {
        Lock = Lock,
    };
}
