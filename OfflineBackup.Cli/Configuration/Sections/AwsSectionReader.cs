using System.Text.RegularExpressions;
using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>aws:</c> section: where the EC2 API is.</summary>
internal static partial class AwsSectionReader
{
    public static AwsSettings Read(ConfigMapping aws)
    {
        var region = aws.OptionalMatch("region", RegionPattern(), "an AWS region name such as eu-west-1");
        var endpointUrl = aws.OptionalHttpUrl("endpoint_url", "an absolute http:// or https:// URL, e.g. https://ec2.eu-west-1.amazonaws.com");

        // With an endpoint override the SDK cannot tell the signing region from the URL, and
        // would go asking instance metadata; a VPC endpoint user knows the region, so say it.
        if (endpointUrl is not null && region is null)
        {
            throw aws.Fail("endpoint_url", "needs aws.region too: requests to a custom endpoint are signed for a region");
        }

        var timeout = aws.Int("request_timeout_seconds", (int)AwsSettings.DefaultRequestTimeout.TotalSeconds, 1, 600,
            "a whole number of seconds from 1 to 600");
        var attempts = aws.Int("max_attempts", AwsSettings.DefaultMaxAttempts, 1, 10, "a whole number from 1 to 10");
        return new AwsSettings(region, endpointUrl, TimeSpan.FromSeconds(timeout), attempts);
    }

    public static bool IsRegion(string name) => RegionPattern().IsMatch(name);

    // Covers the partitions' names (us-east-1, us-gov-west-1, cn-north-1, eu-central-2) and
    // catches the usual slips (us-east1, eu_west_1, a zone like eu-west-1a).
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
