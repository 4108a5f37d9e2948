using System.Globalization;
using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>What a Describe action lists: its id parameter and prefix, its filters, its page limit and token.</summary>
internal sealed record DescribeListing<TView>(
    string Action,
    string IdParameter,
    string IdPrefix,
    Func<string, Ec2Fault> MalformedId,
    Func<string, Ec2Fault> NotFound,
    string SetName,
    int MaxResults,
    PageToken Tokens,
    Func<TView, string> IdOf,
    Func<TView, IReadOnlyDictionary<string, string>> TagsOf,
    Func<string, Func<TView, IEnumerable<string?>>?> FieldOf);

/// <summary>
/// The part every Describe call reads first, as EC2 does: ids (<c>X.N</c>, malformed refused),
/// <c>Filter.N</c>, <c>MaxResults</c> (below 5 refused, above the limit capped, never with ids),
/// <c>NextToken</c>, and DryRun, all before anything is looked at.
/// </summary>
internal sealed record DescribeQuery<TView>(
    DescribeListing<TView> Listing,
    IReadOnlyList<string> Ids,
    IReadOnlyList<Ec2Filter<TView>> Filters,
    int? PageSize,
    string? After)
{
    private const int MinResults = 5;

    public static DescribeQuery<TView> Read(Ec2Request request, DescribeListing<TView> listing)
    {
        var ids = request.List(listing.IdParameter);
        foreach (var id in ids.Where(id => !id.StartsWith(listing.IdPrefix, StringComparison.Ordinal)))
        {
            throw new Ec2FaultException(listing.MalformedId(id));
        }

        var filters = Ec2Filter<TView>.Parse(request, listing.TagsOf, listing.FieldOf);
        var pageSize = ParseMaxResults(request.Parameter("MaxResults"), listing.MaxResults);
        if (pageSize is not null && ids.Count > 0)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterCombination(
                $"The parameter {listing.SetName} cannot be used with the parameter maxResults"));
        }

        var after = listing.Tokens.Read(request.Parameter("NextToken"));
        request.StopIfDryRun();
        return new DescribeQuery<TView>(listing, ids, filters, pageSize, after);
    }

    /// <summary>
    /// Those of <paramref name="all"/> the ids, filters, the action's own condition (<paramref name="also"/>)
    /// and the token select, in order. An id asked for by name that <paramref name="all"/> does not hold is NotFound.
    /// </summary>
    public IReadOnlyList<TView> Select(IReadOnlyList<TView> all, Func<TView, bool>? also = null)
    {
        var missing = Ids.Where(id => !all.Any(v => Listing.IdOf(v) == id)).ToList();
        if (missing.Count > 0)
        {
            throw new Ec2FaultException(Listing.NotFound(string.Join(", ", missing)));
        }

        return all.Where(v => Ids.Count == 0 || Ids.Contains(Listing.IdOf(v)))
            .Where(v => also is null || also(v))
            .Where(v => Filters.All(f => f.Matches(v)))
            .Where(v => After is null || string.CompareOrdinal(Listing.IdOf(v), After) > 0)
            .ToList();
    }

    /// <summary>
    /// The answer: the first page of <paramref name="matches"/> (at most <paramref name="largestPage"/>
    /// long), each as <paramref name="item"/> writes it, and the token of the next page, if any.
    /// </summary>
    public XElement Answer(string requestId, IReadOnlyList<TView> matches, Func<TView, XElement> item, int? largestPage = null)
    {
        var take = PageSize is null ? matches.Count : Math.Min(PageSize.Value, largestPage ?? int.MaxValue);
        var page = matches.Take(take).ToList();
        var next = page.Count < matches.Count ? Listing.Tokens.Issue(Listing.IdOf(page[^1])) : null;
        return Ec2Xml.Response(Listing.Action, requestId,
            new XElement(Ec2Xml.Ns + Listing.SetName, page.Select(item)),
            next is null ? null : new XElement(Ec2Xml.Ns + "nextToken", next));
    }

    private static int? ParseMaxResults(string? raw, int maxResults)
    {
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue($"Invalid value '{raw}' for maxResults"));
        }

        if (value < MinResults)
        {
            throw new Ec2FaultException(Ec2Fault.InvalidParameterValue(
                $"Value ( {value} ) for parameter maxResults is invalid. Expecting a value greater than {MinResults}."));
        }

        // EC2 quietly caps larger values rather than refusing them.
        return Math.Min(value, maxResults);
    }
}
