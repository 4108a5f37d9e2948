using System.Text.Json;

namespace OfflineBackup.Tests.Cli;

public sealed class RootCommandTests
{
    [Fact]
    public async Task Help_lists_the_commands()
    {
        using var cli = new CliHarness(new TestAdapters());

        var result = await cli.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("offline-backup", result.Output);
        Assert.Contains("run", result.Output);
        Assert.Contains("check", result.Output);
        Assert.Contains("--config", result.Output);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        using var cli = new CliHarness(new TestAdapters());

        var result = await cli.RunAsync("--version");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output.Trim());
    }

    [Fact]
    public async Task No_command_is_a_usage_error()
    {
        using var cli = new CliHarness(new TestAdapters());

        var result = await cli.RunExactlyAsync("--config", cli.ConfigPath);

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
    }

    [Fact]
    public async Task A_missing_config_file_exits_2_naming_it()
    {
        using var cli = new CliHarness(new TestAdapters());

        var result = await cli.RunAsync("check", "--config", "/nonexistent/offline-backup.yml");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("/nonexistent/offline-backup.yml", result.Error);
    }

    [Fact]
    public async Task A_failure_is_said_once_on_stderr()
    {
        using var cli = new CliHarness(new TestAdapters());

        var result = await cli.RunAsync("check", "--config", "/nonexistent/offline-backup.yml");

        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/nonexistent/offline-backup.yml", cli.ReadLog());
    }

    [Fact]
    public void The_nlog_config_built_into_the_binary_logs_json_to_the_log_file()
    {
        var configuration = OfflineBackup.Logging.LogSetup.BuiltInConfiguration();

        var target = Assert.IsType<NLog.Targets.FileTarget>(configuration.FindTargetByName("json"));
        Assert.IsType<NLog.Layouts.JsonLayout>(target.Layout);
        Assert.Equal("/var/log/offline-backup/offline-backup.log", configuration.Variables["logfile"].ToString());
    }

    [Fact]
    public async Task The_config_path_comes_from_the_environment_when_not_given()
    {
        using var cli = new CliHarness(new TestAdapters());
        cli.SetEnvironment("OFFLINE_BACKUP_CONFIG", "/nonexistent/from-env.yml");

        var result = await cli.RunExactlyAsync("check");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("/nonexistent/from-env.yml", result.Error);
    }

    [Fact]
    public async Task The_log_is_json_lines_with_run_id_command_and_volume()
    {
        using var cli = new CliHarness(new TestAdapters { Replica = new FakeReplicaServer(), Store = new FakeSnapshotStore() });
        await cli.WriteConfigAsync(1, "pw", null);

        await cli.RunAsync("check");

        var lines = File.ReadAllLines(cli.LogFile);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.EndsWith("Z", root.GetProperty("time").GetString());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("run_id").GetString()));
            Assert.Equal("check", root.GetProperty("command").GetString());
        }

        Assert.Contains(lines, l => l.Contains("\"step\": \"age\"", StringComparison.Ordinal) || l.Contains("\"step\":\"age\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(TestSettings.VolumeId, StringComparison.Ordinal));
    }
}
