namespace OfflineBackup.Metrics;

/// <summary>One value of a family; <see cref="Labels"/> are the family's own labels (volume_id and instance_id are the file's).</summary>
public sealed record MetricSample(MetricFamily Family, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public string? Label(string name) => Labels.FirstOrDefault(l => string.Equals(l.Key, name, StringComparison.Ordinal)).Value;
}

/// <summary>
/// The values of one volume's metrics file, keyed by family and label values. What the previous
/// file said, then what this invocation learned on top of it.
/// </summary>
public sealed class MetricSet
{
    private readonly Dictionary<string, MetricSample> _samples = new(StringComparer.Ordinal);

    public IReadOnlyList<MetricSample> Samples => _samples
        .OrderBy(s => IndexOf(s.Value.Family))
        .ThenBy(s => s.Key, StringComparer.Ordinal)
        .Select(s => s.Value)
        .ToList();

    /// <summary>Label values in the order of <see cref="MetricFamily.Labels"/>.</summary>
    public void Set(MetricFamily family, double value, params string[] labelValues) =>
        _samples[Key(family, labelValues)] = new MetricSample(family, Pair(family, labelValues), value);

    public double? Get(MetricFamily family, params string[] labelValues) =>
        _samples.TryGetValue(Key(family, labelValues), out var sample) ? sample.Value : null;

    public void Remove(MetricFamily family, params string[] labelValues) => _samples.Remove(Key(family, labelValues));

    public void RemoveFamily(MetricFamily family)
    {
        foreach (var key in _samples.Where(s => s.Value.Family == family).Select(s => s.Key).ToList())
        {
            _samples.Remove(key);
        }
    }

    private static int IndexOf(MetricFamily family)
    {
        var index = MetricCatalog.All.ToList().IndexOf(family);
        return index < 0 ? int.MaxValue : index;
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Pair(MetricFamily family, string[] labelValues)
    {
        if (labelValues.Length != family.Labels.Length)
        {
            throw new ArgumentException($"{family.Name} takes {family.Labels.Length} label values, got {labelValues.Length}", nameof(labelValues));
        }

        return family.Labels.Zip(labelValues, KeyValuePair.Create).ToList();
    }

    // A NUL cannot appear in a label value we write or parse, so it separates unambiguously.
    private static string Key(MetricFamily family, string[] labelValues) => family.Name + "\0" + string.Join("\0", labelValues);
}
