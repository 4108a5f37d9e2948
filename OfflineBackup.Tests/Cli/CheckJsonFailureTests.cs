using System.Text.Json;

namespace OfflineBackup.Tests.Cli;

/// <summary>`check --json` answers in JSON on stdout even when no guard could run, so a monitoring script never parses an empty answer.</summary>
public sealed class CheckJsonFailureTests
{
    [Fact]
    public async Task A_missing_configuration_is_a_json_answer_with_exit_2()
    {
        using var cli = new CliHarness(new TestAdapters());

        var result = await cli.RunAsync("check", "--json", "--config", cli.Files.Path("missing.yml"));

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("exit_code").GetInt32());
        Assert.False(root.GetProperty("backup_due").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("volume_id").ValueKind);
        Assert.Equal(ExitCodes.Describe(2), root.GetProperty("meaning").GetString());
        Assert.Empty(root.GetProperty("guards").EnumerateArray());
        Assert.Contains("missing.yml", root.GetProperty("error").GetString());
        Assert.Contains("missing.yml", result.Error);
    }

    [Fact]
    public async Task An_invalid_configuration_is_a_json_answer_naming_the_key()
    {
        using var cli = new CliHarness(new TestAdapters());
        await cli.WriteConfigAsync(3306, "Pw-not-shown-1", null, c => c with { MetricsTextfile = "relative.prom" });

        var result = await cli.RunAsync("check", "--json");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Contains("metrics.textfile", json.RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain("Pw-not-shown-1", result.Output + result.Error);
    }

    [Fact]
    public async Task Without_json_a_configuration_error_prints_nothing_on_stdout()
    {
        using var cli = new CliHarness(new TestAdapters());

        var result = await cli.RunAsync("check", "--config", cli.Files.Path("missing.yml"));

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Equal("", result.Output);
    }
}
