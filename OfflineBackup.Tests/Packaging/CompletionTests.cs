using System.CommandLine;
using OfflineBackup.Tests.Sandbox;

namespace OfflineBackup.Tests.Packaging;

/// <summary>
/// packaging/offline-backup.bash-completion in a real bash: COMP_WORDS and COMP_CWORD set as
/// readline sets them, the function `complete` registered called, COMPREPLY read back. Both with
/// Debian's bash-completion loaded (as on a server) and without it.
/// </summary>
public sealed class CompletionTests
{
    public static readonly string Script = RepositoryFiles.Path("packaging/offline-backup.bash-completion");

    private const string BashCompletion = "/usr/share/bash-completion/bash_completion";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task R_completes_to_run(bool withBashCompletion)
    {
        Assert.Equal(["run"], await CompleteAsync(Script, withBashCompletion, "offline-backup", "r"));
    }

    [Fact]
    public async Task Nothing_typed_offers_every_command()
    {
        Assert.Equal(CliTree.Commands.Select(c => c.Name).Order(), await CompleteAsync(Script, true, "offline-backup", string.Empty));
    }

    [Fact]
    public async Task A_dash_offers_exactly_the_options_of_the_command()
    {
        foreach (var command in CliTree.Commands.Prepend<Command>(CliTree.Root))
        {
            string[] words = command == CliTree.Root ? ["offline-backup", "-"] : ["offline-backup", command.Name, "-"];

            var offered = await CompleteAsync(Script, true, words);

            // -? is left out on purpose: an unquoted ? is a glob to the shell.
            Assert.Equal(CliTree.OptionSpellings(command).Where(o => o != "-?").Order(StringComparer.Ordinal), offered);
        }
    }

    [Fact]
    public async Task The_config_option_completes_file_names()
    {
        Assert.Contains("/etc", await CompleteAsync(Script, true, "offline-backup", "check", "--config", "/et"));
    }

    /// <summary>The words offered for the last of <paramref name="words"/>, sorted.</summary>
    public static async Task<IReadOnlyList<string>> CompleteAsync(string script, bool withBashCompletion, params string[] words)
    {
        if (withBashCompletion)
        {
            Assert.True(File.Exists(BashCompletion), $"{BashCompletion} is missing: apt-get install bash-completion (.ci/run does)");
        }

        const string Complete = """
            if [ "$1" = yes ]; then source /usr/share/bash-completion/bash_completion; fi
            source "$2"
            shift 2
            function=$(complete -p offline-backup | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
            [ -n "$function" ] || { echo "no completion function registered for offline-backup"; exit 3; }
            COMP_WORDS=("$@")
            COMP_CWORD=$(( $# - 1 ))
            COMP_LINE="$*"
            COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            "$function" offline-backup "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var result = await Shell.RunAsync("bash", ["--norc", "--noprofile", "-c", Complete, "bash", withBashCompletion ? "yes" : "no", script, .. words]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
    }
}
