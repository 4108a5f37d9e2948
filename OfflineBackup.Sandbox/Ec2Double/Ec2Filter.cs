using System.Text;
using System.Text.RegularExpressions;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// One Describe call's <c>Filter.N</c>: a name and its values. Values of one filter are ORed,
/// filters are ANDed, and values may use EC2's <c>*</c> and <c>?</c> wildcards (a backslash
/// makes the next character literal). What a filter name reads of a view is the action's own.
/// </summary>
internal sealed class Ec2Filter<TView>
{
    private readonly Func<TView, IEnumerable<string?>> _fieldValues;
    private readonly IReadOnlyList<Regex> _patterns;

    private Ec2Filter(Func<TView, IEnumerable<string?>> fieldValues, IReadOnlyList<string> values)
    {
        _fieldValues = fieldValues;
        _patterns = values.Select(Wildcard).ToList();
    }

    /// <param name="request">The call.</param>
    /// <param name="tagsOf">A view's tags, for <c>tag:KEY</c>, <c>tag-key</c> and <c>tag-value</c>, which every action knows.</param>
    /// <param name="fieldOf">The values any other filter name reads of a view; null for a name the action does not know.</param>
    public static IReadOnlyList<Ec2Filter<TView>> Parse(
        Ec2Request request,
        Func<TView, IReadOnlyDictionary<string, string>> tagsOf,
        Func<string, Func<TView, IEnumerable<string?>>?> fieldOf)
    {
        var filters = new List<Ec2Filter<TView>>();
        for (var i = 1; request.Parameter($"Filter.{i}.Name") is { } name; i++)
        {
            var values = request.List($"Filter.{i}.Value");
            if (values.Count == 0)
            {
                throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"The filter '{name}' requires at least one value"));
            }

            var field = TagField(name, tagsOf) ?? fieldOf(name)
                ?? throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"The filter '{name}' is invalid"));
            filters.Add(new Ec2Filter<TView>(field, values));
        }

        return filters;
    }

    public bool Matches(TView view) =>
        _fieldValues(view).Any(value => value is not null && _patterns.Any(p => p.IsMatch(value)));

    private static Func<TView, IEnumerable<string?>>? TagField(string name, Func<TView, IReadOnlyDictionary<string, string>> tagsOf)
    {
        if (name.StartsWith("tag:", StringComparison.Ordinal))
        {
            var key = name["tag:".Length..];
            return v => tagsOf(v).TryGetValue(key, out var value) ? [value] : [];
        }

        return name switch
        {
            "tag-key" => v => tagsOf(v).Keys,
            "tag-value" => v => tagsOf(v).Values,
            _ => null,
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
