using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OfflineBackup.Configuration.Yaml;

/// <summary>
/// YamlStream reports a duplicate key with its position and bare name only ("port"). Walking the
/// parser events once more recovers the full path ("mysql.port") for the message, and confirms
/// that the key at that position really is a repeat, so no exception text has to be matched.
/// </summary>
internal static class DuplicateKeyLocator
{
    public static string? FindDuplicatePath(string text, Mark position)
    {
        var frames = new Stack<Frame>();
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart:
                        frames.Push(new Frame(IsMapping: true));
                        break;
                    case SequenceStart:
                        frames.Push(new Frame(IsMapping: false));
                        break;
                    case MappingEnd or SequenceEnd:
                        frames.Pop();
                        NodeCompleted(frames, text: null);
                        break;
                    case Scalar scalar when scalar.Start.Index == position.Index && IsAwaitingKey(frames):
                        return frames.Peek().SeenKeys.Contains(scalar.Value) ? PathTo(frames, scalar.Value) : null;
                    case Scalar scalar:
                        NodeCompleted(frames, scalar.Value);
                        break;
                    case AnchorAlias:
                        NodeCompleted(frames, text: null);
                        break;
                }
            }
        }
        catch (YamlException)
        {
            // The document is broken before the duplicate: the caller reports the YAML error.
            return null;
        }

        return null;
    }

    private static bool IsAwaitingKey(Stack<Frame> frames) =>
        frames.TryPeek(out var top) && top.IsMapping && top.AwaitingKey;

    private static void NodeCompleted(Stack<Frame> frames, string? text)
    {
        if (!frames.TryPeek(out var top) || !top.IsMapping)
        {
            return;
        }

        if (top.AwaitingKey)
        {
            top.CurrentKey = text ?? "?";
            top.SeenKeys.Add(top.CurrentKey);
        }

        top.AwaitingKey = !top.AwaitingKey;
    }

    private static string PathTo(Stack<Frame> frames, string key)
    {
        // The top frame is the mapping holding the duplicate; its ancestors' current keys lead to it.
        var parents = frames.Skip(1).Reverse().Where(f => f.IsMapping).Select(f => f.CurrentKey);
        return string.Join('.', parents.Append(key));
    }

    private sealed record Frame(bool IsMapping)
    {
        public bool AwaitingKey { get; set; } = true;

        public string CurrentKey { get; set; } = "?";

        public HashSet<string> SeenKeys { get; } = new(StringComparer.Ordinal);
    }
}
