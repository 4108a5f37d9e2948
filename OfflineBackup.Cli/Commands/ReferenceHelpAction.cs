using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace OfflineBackup.Commands;

/// <summary>
/// The library's help, followed by <see cref="HelpText.Epilog"/> for the command asked about:
/// System.CommandLine has no epilog of its own, so this wraps its help action.
/// </summary>
internal sealed class ReferenceHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = standard.Invoke(parseResult);
        if (HelpText.Epilog(parseResult.CommandResult.Command) is { } epilog)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(epilog.TrimEnd());
            output.WriteLine();
        }

        return exitCode;
    }

    /// <summary>Puts this action behind every --help of the tree (the root's help option is recursive).</summary>
    public static void Install(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction standard)
            {
                help.Action = new ReferenceHelpAction(standard);
            }
        }
    }
}
