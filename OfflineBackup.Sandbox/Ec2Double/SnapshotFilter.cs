using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// One DescribeSnapshots <c>Filter.N</c>: a name and its values. Values of one filter are ORed,
/// filters are ANDed, and values may use EC2's <c>*</c> and <c>?</c> wildcards.
/// </summary>
internal sealed class SnapshotFilter
{
    private readonly Func<Ec2SnapshotView, IEnumerable<string>> _fieldValues;
    private readonly IReadOnlyList<Regex> _patterns;

    private SnapshotFilter(string name, Func<Ec2SnapshotView, IEnumerable<string>> fieldValues, IReadOnlyList<string> values)
    {
        Name = name;
        _fieldValues = fieldValues;
        _patterns = values.Select(Wildcard).ToList();
    }

    public string Name { get; }

    public static IReadOnlyList<SnapshotFilter> Parse(Ec2Request request)
    {
        var filters = new List<SnapshotFilter>();
        for (var i = 1; request.Parameter($"Filter.{i}.Name") is { } name; i++)
        {
            var values = request.List($"Filter.{i}.Value");
            if (values.Count == 0)
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"The filter '{name}' requires at least one value"));
            }

            filters.Add(new SnapshotFilter(name, FieldOf(name), values));
        }

        return filters;
    }

    public bool Matches(Ec2SnapshotView snapshot) =>
        _fieldValues(snapshot).Any(value => _patterns.Any(p => p.IsMatch(value)));

    private static Func<Ec2SnapshotView, IEnumerable<string>> FieldOf(string name)
    {
        if (name.StartsWith("tag:", StringComparison.Ordinal))
        {
            var key = name["tag:".Length..];
            return s => s.Tags.TryGetValue(key, out var value) ? [value] : [];
        }

        return name switch
        {
            "volume-id" => s => [s.VolumeId],
            "status" => s => [s.State],
            "owner-id" => s => [s.OwnerId],
            "snapshot-id" => s => [s.SnapshotId],
            "description" => s => [s.Description],
            "progress" => s => [s.Progress],
            "volume-size" => s => [s.VolumeSizeGiB.ToString(CultureInfo.InvariantCulture)],
            "tag-key" => s => s.Tags.Keys,
            "tag-value" => s => s.Tags.Values,
            _ => throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"The filter '{name}' is invalid")),
        };
    }

    private static Regex Wildcard(string value)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '\\' when i + 1 < value.Length:
                    pattern.Append(Regex.Escape(value[++i].ToString()));
                    break;
                case '*':
                    pattern.Append(".*");
                    break;
                case '?':
                    pattern.Append('.');
                    break;
                default:
                    pattern.Append(Regex.Escape(value[i].ToString()));
                    break;
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }
}
