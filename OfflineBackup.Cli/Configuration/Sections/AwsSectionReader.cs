using System.Text.RegularExpressions;
using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>aws:</c> section: where the EC2 API is.</summary>
internal static partial class AwsSectionReader
{
    private const string RegionForm = "an AWS region name such as eu-west-1";
    private const string EndpointForm = "an absolute http:// or https:// URL, e.g. https://ec2.eu-west-1.amazonaws.com";

    public static AwsSettings Read(ConfigMapping aws)
    {
        var region = aws.OptionalText("region", RegionForm);
        if (region is not null && !RegionPattern().IsMatch(region))
        {
            throw aws.Fail("region", $"expected {RegionForm}, got {ConfigError.Show(region)}");
        }

        var endpoint = aws.OptionalText("endpoint_url", EndpointForm);
        Uri? endpointUrl = null;
        if (endpoint is not null
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUrl)
                || endpointUrl.Scheme is not ("http" or "https")
                || string.IsNullOrEmpty(endpointUrl.Host)))
        {
            throw aws.Fail("endpoint_url", $"expected {EndpointForm}, got {ConfigError.Show(endpoint)}");
        }

        // With an endpoint override the SDK cannot tell the signing region from the URL, and
        // would go asking instance metadata; a VPC endpoint user knows the region, so say it.
        if (endpointUrl is not null && region is null)
        {
            throw aws.Fail("endpoint_url", "needs aws.region too: requests to a custom endpoint are signed for a region");
        }

        return new AwsSettings(region, endpointUrl);
    }

    public static bool IsRegion(string name) => RegionPattern().IsMatch(name);

    // Covers the partitions' names (us-east-1, us-gov-west-1, cn-north-1, eu-central-2) and
    // catches the usual slips (us-east1, eu_west_1, a zone like eu-west-1a).
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
