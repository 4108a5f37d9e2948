using OfflineBackup.Logging;
using OfflineBackup.Tests.Packaging;

namespace OfflineBackup.Tests.Cli;

/// <summary>`--help` stands alone: on a server that has only the binary, it is the whole manual there is.</summary>
public sealed class HelpTests
{
    [Fact]
    public async Task The_root_help_lists_every_exit_code_with_its_meaning()
    {
        var help = await HelpAsync("--help");

        Assert.Equal(CliTree.ExitCodeValues, HelpText.ExitCodeOrder.Order());
        foreach (var code in CliTree.ExitCodeValues)
        {
            Assert.Contains($"  {code,-5}{ExitCodes.Describe(code)}\n", help, StringComparison.Ordinal);
        }

        Assert.Contains("not due prints nothing and exits 4", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_help_names_the_config_the_log_and_the_full_reference()
    {
        var help = await HelpAsync("-h");

        Assert.Contains(ConfigLoader.DefaultPath, help, StringComparison.Ordinal);
        Assert.Contains(ConfigLoader.PathVariable, help, StringComparison.Ordinal);
        Assert.Contains(HelpText.LogFile, help, StringComparison.Ordinal);
        Assert.Contains(LogSetup.LogFileVariable, help, StringComparison.Ordinal);
        Assert.Contains(ConfigLoader.PasswordVariable, help, StringComparison.Ordinal);
        Assert.Contains("man offline-backup", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("check")]
    [InlineData("prune")]
    [InlineData("list")]
    public async Task Each_command_says_what_it_changes(string command)
    {
        var help = await HelpAsync(command, "--help");

        Assert.Contains("What it changes:", help, StringComparison.Ordinal);
        Assert.DoesNotContain("Exit codes", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("prune")]
    public async Task Each_command_that_changes_something_says_what_it_never_does(string command)
    {
        Assert.Contains("What it never does:", await HelpAsync(command, "--help"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_dry_run_is_described_as_what_prune_does()
    {
        var help = await HelpAsync("prune", "--help");

        Assert.DoesNotContain("stop", help, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("DryRun flag", help, StringComparison.Ordinal);
        Assert.Contains("it deletes nothing", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_dry_run_says_it_stops_creates_and_deletes_nothing()
    {
        Assert.Contains("it stops, creates and deletes nothing", await HelpAsync("run", "--help"), StringComparison.Ordinal);
    }

    private static async Task<string> HelpAsync(params string[] args)
    {
        using var cli = new CliHarness(new TestAdapters());
        var result = await cli.RunExactlyAsync(args);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Empty(result.Error);
        return result.Output.ReplaceLineEndings("\n");
    }
}
