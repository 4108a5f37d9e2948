using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OfflineBackup.Configuration.Yaml;

/// <summary>Turns the file's text into its top-level mapping, or one message saying where it went wrong.</summary>
internal static class YamlConfigParser
{
    public static YamlMappingNode ParseRoot(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            long? line = e.Start.Line > 0 ? e.Start.Line : null;
            var duplicate = DuplicateKeyLocator.FindDuplicatePath(text, e.Start);
            if (duplicate is not null)
            {
                throw ConfigError.At(file, line, duplicate,
                    "duplicate key: it is already set earlier in the same section; keep only one");
            }

            throw ConfigError.At(file, line, null, $"invalid YAML at column {e.Start.Column}: {e.Message}");
        }

        if (stream.Documents.Count == 0 || ConfigMapping.IsNull(stream.Documents[0].RootNode))
        {
            throw ConfigError.At(file, null, null,
                "the file is empty; expected at least the mysql: and instance: sections (see config.example.yml)");
        }

        if (stream.Documents.Count > 1)
        {
            throw ConfigError.At(file, stream.Documents[1].RootNode.Start.Line, null,
                "expected a single YAML document, but a second one starts here; remove the extra '---'");
        }

        var root = stream.Documents[0].RootNode;
        return root as YamlMappingNode ?? throw ConfigError.At(file, root.Start.Line, null,
            $"expected the top level to be a mapping of sections ({string.Join(":, ", ConfigSchema.SectionNames)}:), got {ConfigMapping.Describe(root)}");
    }
}
