namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// How a snapshot made by CreateSnapshot moves from <c>pending</c> to <c>completed</c>. The mode in
/// force when CreateSnapshot arrives is the one that snapshot keeps. Whatever the mode, a test can
/// still settle a snapshot at once with <see cref="Ec2Double.Complete"/> or <see cref="Ec2Double.Fail"/>.
/// </summary>
public abstract record SnapshotCompletion
{
    /// <summary>The default: pending in the first DescribeSnapshots call after creation, completed from the second.</summary>
    public static SnapshotCompletion Default { get; } = new AfterDescribeCalls(2);

    public static SnapshotCompletion Manual { get; } = new ManualCompletion();

    private SnapshotCompletion()
    {
    }

    /// <summary>
    /// Counts DescribeSnapshots calls answered after creation (any call, whatever its filters):
    /// the <paramref name="Calls"/>-th one is the first to report <c>completed</c>; 1 means the
    /// first describe already sees it completed.
    /// </summary>
    public sealed record AfterDescribeCalls(int Calls) : SnapshotCompletion
    {
        public int Calls { get; } = Calls >= 1 ? Calls : throw new ArgumentOutOfRangeException(nameof(Calls), "at least 1");
    }

    /// <summary>Completed once this much time (on the double's TimeProvider) has passed since creation.</summary>
    public sealed record AfterDuration(TimeSpan Duration) : SnapshotCompletion;

    /// <summary>Stays pending until the test calls Complete or Fail.</summary>
    public sealed record ManualCompletion : SnapshotCompletion;
}
