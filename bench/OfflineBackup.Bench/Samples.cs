namespace OfflineBackup.Bench;

/// <summary>Repetitions of several named figures, gathered run by run.</summary>
public sealed class Samples
{
    private readonly Dictionary<string, List<double>> _values = new(StringComparer.Ordinal);

    public IReadOnlyCollection<double> this[string name] => _values[name];

    public void Add(string name, double value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = [];
        }

        list.Add(value);
    }
}
