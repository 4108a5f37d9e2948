using System.CommandLine;
using System.Reflection;

namespace OfflineBackup.Tests.Packaging;

/// <summary>The real command tree, as the man page, the completion script and the help must describe it.</summary>
internal static class CliTree
{
    public static RootCommand Root { get; } = CliApp.BuildRoot(new CliServices(_ => null, TimeProvider.System, new TestAdapters(), "host"));

    public static IEnumerable<Command> Commands => Root.Subcommands;

    /// <summary>Every spelling (name and aliases) of the options <paramref name="command"/> accepts, the inherited ones included.</summary>
    public static IReadOnlySet<string> OptionSpellings(Command command)
    {
        var options = command == Root ? Root.Options : command.Options.Concat(Root.Options.Where(o => o.Recursive));
        // The help option also answers to /? and /h, Windows spellings a Linux page does not teach.
        return options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(s => !s.StartsWith('/')).ToHashSet(StringComparer.Ordinal);
    }

    public static IReadOnlySet<string> AllOptionSpellings =>
        Commands.Prepend(Root).SelectMany(OptionSpellings).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<int> ExitCodeValues =>
        typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => (int)f.GetRawConstantValue()!)
            .Order()
            .ToList();
}
