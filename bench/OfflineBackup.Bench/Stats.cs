namespace OfflineBackup.Bench;

/// <summary>Median, min and max of one figure's repetitions. The median of an even count is the mean of the middle two.</summary>
public sealed record Stats(double Median, double Min, double Max, int Count)
{
    public static Stats Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Stats(median, sorted[0], sorted[^1], sorted.Length);
    }
}
