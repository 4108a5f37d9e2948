using System.Globalization;
using System.Text;

namespace OfflineBackup.Metrics;

/// <summary>
/// Reads back the previous metrics file: the Prometheus text format as this tool writes it.
/// Only families of <see cref="MetricCatalog"/> with exactly their labels, for this volume and
/// instance, are kept; anything else (another volume after a config change, a family since
/// renamed) is dropped rather than carried forward for ever.
/// </summary>
public static class TextfileParser
{
    /// <exception cref="FormatException">A sample line is not in the text format.</exception>
    public static MetricSet Parse(string text, string volumeId, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = new MetricSet();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var (name, labels, value) = ParseLine(line, number);
            if (MetricCatalog.Find(name) is not { } family
                || labels.GetValueOrDefault(MetricCatalog.VolumeLabel) != volumeId
                || labels.GetValueOrDefault(MetricCatalog.InstanceLabel) != instanceId
                || labels.Count != family.Labels.Length + 2
                || !family.Labels.All(labels.ContainsKey))
            {
                continue;
            }

            set.Set(family, value, family.Labels.Select(l => labels[l]).ToArray());
        }

        return set;
    }

    private static (string Name, Dictionary<string, string> Labels, double Value) ParseLine(string line, int number)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 0;
        while (at < line.Length && (char.IsAsciiLetterOrDigit(line[at]) || line[at] is '_' or ':'))
        {
            at++;
        }

        var name = line[..at];
        if (name.Length == 0)
        {
            throw Bad(number, "no metric name");
        }

        if (at < line.Length && line[at] == '{')
        {
            at = ParseLabels(line, at + 1, labels, number);
        }

        var fields = line[at..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 1 or > 2)
        {
            throw Bad(number, "expected a value (and at most a timestamp) after the labels");
        }

        return (name, labels, ParseValue(fields[0], number));
    }

    private static int ParseLabels(string line, int at, Dictionary<string, string> labels, int number)
    {
        while (true)
        {
            while (at < line.Length && line[at] is ' ' or ',')
            {
                at++;
            }

            if (at < line.Length && line[at] == '}')
            {
                return at + 1;
            }

            var equals = line.IndexOf('=', at);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                throw Bad(number, "a label is not name=\"value\"");
            }

            var name = line[at..equals].Trim();
            var value = new StringBuilder();
            at = equals + 2;
            for (; at < line.Length && line[at] != '"'; at++)
            {
                if (line[at] == '\\' && at + 1 < line.Length)
                {
                    at++;
                    value.Append(line[at] == 'n' ? '\n' : line[at]);
                }
                else
                {
                    value.Append(line[at]);
                }
            }

            if (at >= line.Length)
            {
                throw Bad(number, "a label value is not closed");
            }

            labels[name] = value.ToString();
            at++;
        }
    }

    private static double ParseValue(string text, int number) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(number, $"the value {text} is not a number"),
    };

    private static FormatException Bad(int number, string problem) => new($"line {number}: {problem}");
}
