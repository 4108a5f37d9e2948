using OfflineBackup.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OfflineBackup.Configuration.Yaml;

/// <summary>
/// One mapping of the file (the top level or a section) with the keys it may hold. Unknown keys
/// are refused when it is opened, before any value is read, so a typo is reported as a typo and
/// not as the "missing key" it causes. Typed getters live in <see cref="ConfigValues"/>.
/// </summary>
internal sealed class ConfigMapping
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    private ConfigMapping(string file, string? path, long? line)
    {
        File = file;
        Path = path;
        Line = line;
    }

    public string File { get; }

    /// <summary>The section name ("mysql"), or null for the top level.</summary>
    public string? Path { get; }

    /// <summary>Where the section starts; missing keys are reported there. Null if the section is absent.</summary>
    public long? Line { get; }

    public static ConfigMapping Root(string file, YamlMappingNode node)
    {
        var root = new ConfigMapping(file, path: null, line: node.Start.Line);
        root.Fill(node, [.. ConfigSchema.SectionNames]);
        return root;
    }

    /// <summary>Opens a section named in <see cref="ConfigSchema"/>; an optional absent section reads as empty.</summary>
    public ConfigMapping Section(string name)
    {
        var (_, required, keys) = ConfigSchema.Sections.Single(s => s.Section == name);
        if (!_entries.TryGetValue(name, out var entry))
        {
            if (required)
            {
                throw ConfigError.At(File, null, name,
                    $"required section is missing; {name}: holds {string.Join(", ", keys)}");
            }

            return new ConfigMapping(File, name, line: null);
        }

        var section = new ConfigMapping(File, name, entry.Key.Start.Line);
        switch (entry.Value)
        {
            case YamlMappingNode mapping:
                section.Fill(mapping, keys);
                return section;
            case var empty when IsNull(empty):
                return section;
            default:
                throw ConfigError.At(File, entry.Value.Start.Line, name,
                    $"expected the keys of section {name}: indented below it, got {Describe(entry.Value)}");
        }
    }

    /// <summary>True for an absent section, or one written with no keys under it.</summary>
    public bool IsEmpty => _entries.Count == 0;

    public string KeyPath(string key) => Path is null ? key : $"{Path}.{key}";

    /// <summary>The value of <paramref name="key"/> as a single value; null when absent or written as YAML null.</summary>
    public YamlScalarNode? Scalar(string key)
    {
        if (!_entries.TryGetValue(key, out var entry) || IsNull(entry.Value))
        {
            return null;
        }

        return entry.Value as YamlScalarNode ?? throw Fail(key, $"expected a single value, got {Describe(entry.Value)}");
    }

    /// <summary>A list of single values (YAML sequence); empty when absent.</summary>
    public IReadOnlyList<YamlScalarNode> ScalarList(string key)
    {
        if (!_entries.TryGetValue(key, out var entry) || IsNull(entry.Value))
        {
            return [];
        }

        if (entry.Value is not YamlSequenceNode sequence)
        {
            throw Fail(key, $"expected a list (one \"- item\" per line), got {Describe(entry.Value)}");
        }

        return [.. sequence.Children.Select(item => item as YamlScalarNode
            ?? throw Fail(key, $"expected a list of single values, got an item that is {Describe(item)}"))];
    }

    /// <summary>An error about <paramref name="key"/>, at its value's line, or the section's line if it is absent.</summary>
    public ConfigurationException Fail(string key, string problem)
    {
        var line = _entries.TryGetValue(key, out var entry) ? entry.Value.Start.Line : Line;
        return ConfigError.At(File, line, KeyPath(key), problem);
    }

    public ConfigurationException Missing(string key, string expected)
    {
        if (_entries.ContainsKey(key))
        {
            return Fail(key, $"required key has no value; expected {expected}");
        }

        var where = Line is null ? $"section {Path}: is absent" : $"section {Path}: has no {key}";
        return ConfigError.At(File, Line, KeyPath(key), $"required key is missing ({where}); expected {expected}");
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Tag.IsEmpty
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping (nested keys)",
        YamlSequenceNode => "a list",
        _ => "a single value",
    };

    private void Fill(YamlMappingNode node, IReadOnlyCollection<string> known)
    {
        foreach (var (keyNode, value) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key } scalarKey)
            {
                throw ConfigError.At(File, keyNode.Start.Line, Path, $"expected a plain key name, got {Describe(keyNode)}");
            }

            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw ConfigError.At(File, scalarKey.Start.Line, KeyPath(key), UnknownKeyProblem(key, known));
            }

            _entries.Add(key, (scalarKey, value));
        }
    }

    private string UnknownKeyProblem(string key, IReadOnlyCollection<string> known)
    {
        var what = Path is null ? "unknown section" : $"unknown key in section {Path}:";
        var owners = ConfigSchema.OwnersOf(key);
        if (owners.Count > 0 && !owners.Contains(Path))
        {
            return $"{what}; {key} belongs in section {string.Join(" or ", owners.Select(o => o + ":"))} (check the indentation and the heading above it)";
        }

        var list = Path is null ? $"sections are {string.Join(", ", known)}" : $"{Path}: accepts {string.Join(", ", known)}";
        var suggestion = KeySuggester.Closest(key, known);
        return suggestion is null ? $"{what} ({list})" : $"{what}; did you mean {suggestion}? ({list})";
    }
}
