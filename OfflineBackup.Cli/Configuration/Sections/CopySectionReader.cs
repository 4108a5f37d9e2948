using System.Text.RegularExpressions;
using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>copy:</c> section; absent means no copies. Its retention defaults to the source's.</summary>
internal static partial class CopySectionReader
{
    private const string RegionForm = "an AWS region name such as eu-central-1, other than aws.region";

    public static CopySettings? Read(ConfigMapping copy, InstanceSettings instance, AwsSettings aws)
    {
        // "copy:" with every key commented out, as config.example.yml ships it, means no copies.
        if (copy.IsEmpty)
        {
            return null;
        }

        var region = copy.RequiredText("region", RegionForm);
        if (!AwsSectionReader.IsRegion(region) || string.Equals(region, aws.Region, StringComparison.Ordinal))
        {
            var why = AwsSectionReader.IsRegion(region) ? " (the same region as the snapshots is no copy out of the blast radius)" : string.Empty;
            throw copy.Fail("region", $"expected {RegionForm}, got {ConfigError.Show(region)}{why}");
        }

        // CopySnapshot names the source region; guessing it from instance metadata would make a
        // copy's source tag depend on where the tool happened to run.
        if (aws.Region is null)
        {
            throw copy.Fail("region", "copies need aws.region too: CopySnapshot is told which region the snapshots are in");
        }

        var key = copy.OptionalMatch("kms_key_id", KeyPattern(), "a KMS key id, key ARN, alias/NAME or alias ARN in the copy region");
        var endpointUrl = copy.OptionalHttpUrl("endpoint_url", "an absolute http:// or https:// URL of the copy region's EC2 endpoint");

        var retention = copy.Int("retention_seconds", (int)Math.Min(int.MaxValue, instance.Retention.TotalSeconds), 1, int.MaxValue,
            "a whole number of seconds, at least 1 (default: instance.retention_seconds)");
        return new CopySettings(
            region,
            key,
            endpointUrl,
            TimeSpan.FromSeconds(retention),
            copy.Int("min_keep", 3, 1, 1000, "a whole number of snapshots from 1 to 1000"),
            copy.Int("max_deletes", 10, 1, 1000, "a whole number of snapshots from 1 to 1000"),
            RetentionSectionReader.ReadCalendar(copy));
    }

    [GeneratedRegex(
        @"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_+=,.@-]+|alias/[A-Za-z0-9/_+=,.@-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
