using System.CommandLine;
using OfflineBackup.Errors;

namespace OfflineBackup.Commands;

/// <summary>The command tree. Program and the CLI tests both invoke it through here.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot(CliServices services)
    {
        var root = new RootCommand(HelpText.Root)
        {
            CommonOptions.Config,
        };
        root.Subcommands.Add(RunCommand.Create(services));
        root.Subcommands.Add(CheckCommand.Create(services));
        root.Subcommands.Add(PruneCommand.Create(services));
        root.Subcommands.Add(ListCommand.Create(services));
        ReferenceHelpAction.Install(root);
        return root;
    }

    public static Task<int> InvokeAsync(
        string[] args, CliServices services, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // Signals belong to CommandSession's SignalWatch for the whole invocation. The
            // library's own handler would end the invocation after this timeout (2 s by default)
            // even with MySQL still down, and races ours on a second signal; null turns it off,
            // so the process can never be ended before a run has started MySQL again.
            ProcessTerminationTimeout = null,
        };
        var parseResult = BuildRoot(services).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // The library would exit 1, which here means "a bug"; bad arguments are exit 2.
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine($"offline-backup: {parseError.Message}");
            }

            error.WriteLine("Try 'offline-backup --help'.");
            return Task.FromResult(ExitCodes.BadConfiguration);
        }

        return parseResult.InvokeAsync(configuration, cancellationToken);
    }
}
