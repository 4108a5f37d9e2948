using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OfflineBackup.Configuration.Yaml;

/// <summary>
/// Typed reads of one key of a <see cref="ConfigMapping"/>. Each takes a description of what is
/// expected ("a whole number of seconds, at least 1"); it ends every message about that key.
/// </summary>
internal static partial class ConfigValues
{
    public static string RequiredText(this ConfigMapping map, string key, string expected)
    {
        var node = map.Scalar(key) ?? throw map.Missing(key, expected);
        return NonBlank(map, key, node, expected);
    }

    public static string Text(this ConfigMapping map, string key, string fallback, string expected)
    {
        var node = map.Scalar(key);
        return node is null ? fallback : NonBlank(map, key, node, expected);
    }

    public static string? OptionalText(this ConfigMapping map, string key, string expected)
    {
        var node = map.Scalar(key);
        return node is null ? null : NonBlank(map, key, node, expected);
    }

    /// <summary>Any text, empty allowed, never shown in a message (used for the password too).</summary>
    public static string? RawText(this ConfigMapping map, string key) => map.Scalar(key)?.Value;

    public static string RequiredMatch(this ConfigMapping map, string key, Regex pattern, string expected) =>
        map.OptionalMatch(key, pattern, expected) ?? throw map.Missing(key, expected);

    /// <summary>Text that <paramref name="pattern"/> matches, or null when the key is absent.</summary>
    public static string? OptionalMatch(this ConfigMapping map, string key, Regex pattern, string expected)
    {
        var value = map.OptionalText(key, expected);
        return value is null || pattern.IsMatch(value) ? value : throw map.Fail(key, $"expected {expected}, got {ConfigError.Show(value)}");
    }

    /// <summary>An absolute http:// or https:// URL with a host, or null when the key is absent.</summary>
    public static Uri? OptionalHttpUrl(this ConfigMapping map, string key, string expected)
    {
        var text = map.OptionalText(key, expected);
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is ("http" or "https") && !string.IsNullOrEmpty(url.Host)
            ? url
            : throw map.Fail(key, $"expected {expected}, got {ConfigError.Show(text)}");
    }

    public static int Int(this ConfigMapping map, string key, int fallback, int min, int max, string expected)
    {
        var node = map.Scalar(key);
        if (node is null)
        {
            return fallback;
        }

        var text = node.Value ?? string.Empty;
        if (IsQuoted(node))
        {
            throw map.Fail(key, $"expected {expected}, got the quoted text {ConfigError.Show(text)} (write numbers without quotes)");
        }

        if (!IntegerPattern().IsMatch(text))
        {
            throw map.Fail(key, $"expected {expected}, got {ConfigError.Show(text)}");
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            throw map.Fail(key, $"expected {expected}, got {text}, which is out of range");
        }

        return (int)value;
    }

    public static bool Bool(this ConfigMapping map, string key, bool fallback)
    {
        var node = map.Scalar(key);
        return node switch
        {
            null => fallback,
            _ when !IsQuoted(node) && node.Value is "true" or "True" or "TRUE" => true,
            _ when !IsQuoted(node) && node.Value is "false" or "False" or "FALSE" => false,
            _ => throw map.Fail(key, $"expected true or false, got {ConfigError.Show(node.Value ?? string.Empty)}"),
        };
    }

    public static T Choice<T>(this ConfigMapping map, string key, T fallback, IReadOnlyDictionary<string, T> choices)
    {
        var node = map.Scalar(key);
        if (node is null)
        {
            return fallback;
        }

        var value = node.Value ?? string.Empty;
        var match = choices.Keys.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase));
        return match is not null
            ? choices[match]
            : throw map.Fail(key, $"expected one of {string.Join(", ", choices.Keys)}, got {ConfigError.Show(value)}");
    }

    /// <summary>
    /// An absolute path, or null when the key is absent. With <paramref name="environment"/>, a
    /// leading "~/" means $HOME, as it would in a shell (for ~/.my.cnf).
    /// </summary>
    public static string? OptionalPath(this ConfigMapping map, string key, string expected, Func<string, string?>? environment = null)
    {
        var value = map.OptionalText(key, expected);
        if (value is null)
        {
            return null;
        }

        if (environment is not null && value.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = environment("HOME");
            if (string.IsNullOrEmpty(home))
            {
                throw map.Fail(key, $"expected {expected}; the path starts with ~/ but HOME is not set, so write the full path");
            }

            value = System.IO.Path.Join(home, value[2..]);
        }

        return System.IO.Path.IsPathFullyQualified(value)
            ? value
            : throw map.Fail(key, $"expected {expected} (an absolute path starting with /), got {ConfigError.Show(value)}");
    }

    public static string RequiredPath(this ConfigMapping map, string key, string expected) =>
        map.OptionalPath(key, expected) ?? throw map.Missing(key, expected);

    private static string NonBlank(ConfigMapping map, string key, YamlScalarNode node, string expected) =>
        string.IsNullOrWhiteSpace(node.Value) ? throw map.Fail(key, $"expected {expected}, got an empty value") : node.Value;

    // Quoted, block (| >) and !!str values are text in YAML, so "3306" is not a number.
    private static bool IsQuoted(YamlScalarNode node) =>
        node.Style is not (ScalarStyle.Plain or ScalarStyle.Any)
        || (!node.Tag.IsEmpty && node.Tag.Value == "tag:yaml.org,2002:str");

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();
}
