using System.Text.RegularExpressions;
using OfflineBackup.Logging;
using OfflineBackup.Tests.Sandbox;

namespace OfflineBackup.Tests.Packaging;

/// <summary>
/// packaging/offline-backup.1 is written by hand beside the code; these tests hold it to the
/// command tree, the exit codes, the configuration schema and the environment, through what
/// `man -l` renders, so the page and `--help` cannot drift apart.
/// </summary>
public sealed partial class ManPageTests
{
    public static readonly string Source = RepositoryFiles.Path("packaging/offline-backup.1");

    [Fact]
    public async Task It_renders_without_a_warning()
    {
        // stdout to /dev/null: what is left is man's and groff's complaints.
        var result = await Shell.RunAsync("bash", ["-c", "man --warnings -l \"$1\" >/dev/null", "man", Source], RenderEnvironment);

        Assert.True(result.ExitCode == 0 && result.Output.Length == 0, result.ToString());
    }

    [Fact]
    public async Task It_describes_every_command_and_every_option()
    {
        var page = await RenderAsync();
        var commands = Section(page, "COMMANDS");
        var synopsis = Section(page, "SYNOPSIS");

        foreach (var command in CliTree.Commands)
        {
            Assert.Matches(new Regex($@"^ {{7}}{command.Name}\b", RegexOptions.Multiline), commands);
            Assert.Contains($"offline-backup {command.Name}", synopsis, StringComparison.Ordinal);
        }

        var described = Tokens(commands + Section(page, "OPTIONS"));
        Assert.Empty(CliTree.AllOptionSpellings.Except(described));
        Assert.Empty(described.Except(CliTree.AllOptionSpellings));
    }

    [Fact]
    public async Task It_lists_every_exit_code_every_config_key_and_every_variable()
    {
        var page = await RenderAsync();

        var exitStatus = Section(page, "EXIT STATUS");
        foreach (var code in CliTree.ExitCodeValues)
        {
            Assert.Matches(new Regex($@"^ {{7}}{code}\b", RegexOptions.Multiline), exitStatus);
        }

        var configuration = Section(page, "CONFIGURATION");
        foreach (var (section, _, keys) in ConfigSchema.Sections)
        {
            foreach (var key in keys)
            {
                Assert.Contains($"{section}.{key}", configuration, StringComparison.Ordinal);
            }
        }

        var environment = Section(page, "ENVIRONMENT");
        foreach (var variable in new[] { ConfigLoader.PathVariable, LogSetup.LogFileVariable, ConfigLoader.PasswordVariable })
        {
            Assert.Contains(variable, environment, StringComparison.Ordinal);
        }

        var files = Section(page, "FILES");
        Assert.Contains(ConfigLoader.DefaultPath, files, StringComparison.Ordinal);
        Assert.Contains(LogSetup.InstalledConfigPath, files, StringComparison.Ordinal);
        Assert.Contains(OfflineBackup.Commands.HelpText.LogFile, files, StringComparison.Ordinal);
        Assert.NotEmpty(Section(page, "EXAMPLES"));
    }

    /// <summary>The page as a person reads it, plain ASCII, wide enough that no name is broken.</summary>
    public static async Task<string> RenderAsync(string? path = null)
    {
        var result = await Shell.RunAsync("man", ["-l", path ?? Source], RenderEnvironment);
        Assert.True(result.ExitCode == 0 && result.Output.Contains("NAME", StringComparison.Ordinal), result.ToString());
        return result.Output;
    }

    private static Dictionary<string, string?> RenderEnvironment => new()
    {
        ["LC_ALL"] = "C",
        ["MANWIDTH"] = "120",
        ["MANPAGER"] = "cat",
        ["PAGER"] = "cat",
    };

    /// <summary>The body of one top-level section (a heading at the start of a line).</summary>
    private static string Section(string page, string heading)
    {
        var match = Regex.Match(page, $@"^{Regex.Escape(heading)}\n(?<body>.*?)(?=^[A-Z][A-Z ]+\n|\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"the man page has no {heading} section");
        return match.Groups["body"].Value;
    }

    private static HashSet<string> Tokens(string text) =>
        OptionToken().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<![\w.-])--?[a-z?][a-z-]*")]
    private static partial Regex OptionToken();
}
