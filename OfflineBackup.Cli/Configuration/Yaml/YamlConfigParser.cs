using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace OfflineBackup.Configuration.Yaml;

/// <summary>Turns the file's text into its top-level mapping, or one message saying where it went wrong.</summary>
internal static class YamlConfigParser
{
    public static YamlMappingNode ParseRoot(string file, string text)
    {
        var stream = new YamlStream();
        var parser = new PositionTrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            long? line = e.Start.Line > 0 ? e.Start.Line : null;
            var duplicate = DuplicateKeyLocator.FindDuplicatePath(text, e.Start);
            if (duplicate is not null)
            {
                throw ConfigError.At(file, line, duplicate,
                    "duplicate key: it already appears earlier at the same level; keep only one");
            }

            throw ConfigError.At(file, line, null, $"invalid YAML at column {e.Start.Column}: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some broken input (an
            // unclosed [ followed by "key: value" lines); the last event read is the best place to point at.
            throw ConfigError.At(file, parser.LastLine, null,
                "invalid YAML at or just after this line (the parser stopped; look for an unclosed [ { or quote)");
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

    private sealed class PositionTrackingParser(IParser inner) : IParser
    {
        public long? LastLine { get; private set; }

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            LastLine = inner.Current?.Start.Line ?? LastLine;
            return moved;
        }
    }
}
