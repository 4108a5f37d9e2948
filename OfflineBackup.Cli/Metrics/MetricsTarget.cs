using System.Text.RegularExpressions;
using OfflineBackup.Configuration;
using YamlDotNet.RepresentationModel;

namespace OfflineBackup.Metrics;

/// <summary>Where the metrics go and the labels that name this host's volume.</summary>
public sealed partial record MetricsTarget(string Textfile, string VolumeId, string InstanceId)
{
    public static MetricsTarget? From(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Metrics.Textfile is { } file ? new MetricsTarget(file, settings.Instance.VolumeId, settings.Instance.InstanceId) : null;
    }

    /// <summary>
    /// The three values read leniently from a configuration that failed validation, so that a
    /// config broken by an edit is still recorded as exit 2 under the usual labels. Null when the
    /// file is not YAML, or any of the three is missing or not of its form: then nothing can be
    /// written, and the "not running" alert is what notices.
    /// </summary>
    public static MetricsTarget? FromInvalidConfig(string path)
    {
        try
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                yaml.Load(reader);
            }

            if (yaml.Documents.Count != 1 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            {
                return null;
            }

            var file = Scalar(root, "metrics", "textfile");
            var volume = Scalar(root, "instance", "volume_id");
            var instance = Scalar(root, "instance", "instance_id");
            return file is not null && Path.IsPathFullyQualified(file) && file.EndsWith(".prom", StringComparison.Ordinal)
                && volume is not null && VolumePattern().IsMatch(volume)
                && instance is not null && InstancePattern().IsMatch(instance)
                ? new MetricsTarget(file, volume, instance)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    private static string? Scalar(YamlMappingNode root, string section, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(section), out var node)
        && node is YamlMappingNode mapping
        && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value)
        && value is YamlScalarNode scalar
            ? scalar.Value
            : null;

    [GeneratedRegex("^i-[0-9a-f]{8}([0-9a-f]{9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex InstancePattern();

    [GeneratedRegex("^vol-[0-9a-f]{8}([0-9a-f]{9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex VolumePattern();
}
