using System.Text.RegularExpressions;

namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// The README's first command, `./sandbox`, end to end: real MariaDB servers, the EC2 double and
/// the real offline-backup binary, as a newcomer runs it.
/// </summary>
public sealed partial class SandboxCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_sandbox_command_takes_a_real_snapshot_reports_it_and_cleans_up()
    {
        // The script as the README gives it; it runs the sandbox this test run has already built.
        using var sandbox = ChildProcess.Start("bash", [RepositoryFiles.Path("sandbox")], new Dictionary<string, string?>
        {
            ["OFFLINE_BACKUP_SANDBOX_NO_BUILD"] = RepositoryFiles.Configuration,
        });

        var exitCode = await sandbox.WaitAsync(Limit);

        var output = sandbox.Output;
        Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}\n{output}");
        var reported = SandboxReport().Match(output);
        Assert.True(reported.Success, output);
        var snapshot = reported.Groups["snapshot"].Value;
        Assert.Matches($@"offline-backup run: snapshot {snapshot} \(completed\), MySQL down", output);
        Assert.Contains("the replica was down when CreateSnapshot arrived", output);
        Assert.Matches($@"(?m)^{snapshot} +completed +100% .* ours ", output);
        Assert.Contains("[exit 4: not due", output);
        Assert.Contains("the replica is up and replicating", output);
        Assert.Matches(@"(?m)^sandbox: the replica's data volume vol-0a1b2c3d4e5f60718: ext4 in .*, attached as /dev/loop[0-9]+ \(nvme-Amazon_Elastic_Block_Store_vol0a1b2c3d4e5f60718\).*; loop mode", output);
        Assert.Matches(@"(?m)^sandbox: CreateSnapshot copied the volume's image in [0-9.]+ ms \(reflink copy\)$", output);
        Assert.Matches(
            $@"(?m)^sandbox: the snapshot restores: a throwaway mariadbd \(server_id 3\) on vol-[0-9a-f]{{17}}, made from {snapshot} and attached as /dev/loop[0-9]+ \(loop mode\) found the row written on the primary just before the backup \(id [0-9]+\)$",
            output);
        Assert.Matches($@"sandbox: copy snap-[0-9a-f]+ of {snapshot} in eu-central-1 is (pending|completed) \(volume id vol-ffffffff", output);
        Assert.Matches($@"(?m)^snap-[0-9a-f]+ +{snapshot} \(us-east-1\) +", output);
        Assert.Contains("sandbox: OK", output);
        Assert.DoesNotContain(MariaDbReplicationPair.MonitorPassword, output);
        AssertRemoved(ConfigDirectory(output));
    }

    [Fact]
    public async Task Where_loop_devices_cannot_be_used_the_sandbox_runs_on_directory_copies_and_says_so()
    {
        using var sandbox = ChildProcess.Start(SandboxBinary, [], new Dictionary<string, string?>
        {
            [DiskModes.Variable] = "directory",
        });

        var exitCode = await sandbox.WaitAsync(Limit);

        var output = sandbox.Output;
        Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}\n{output}");
        Assert.Contains($"directory mode: plain directory copies, no block devices (forced by {DiskModes.Variable}=directory)", output);
        Assert.Matches(@"(?m)^sandbox: CreateSnapshot copied the volume's image in [0-9.]+ ms \(directory copy\)$", output);
        Assert.Matches(@"(?m)^sandbox: the snapshot restores: .*\(directory mode\) found the row written on the primary just before the backup", output);
        Assert.DoesNotContain("/dev/loop", output);
        AssertRemoved(ConfigDirectory(output));
    }

    [Fact]
    public async Task With_keep_it_stays_up_for_the_commands_it_prints_until_ctrl_c()
    {
        using var sandbox = ChildProcess.Start(SandboxBinary, ["--keep"]);
        // The block's last line: its earlier lines (the export, the alias) may still be on their
        // way through the line reader when its first one has arrived.
        await sandbox.WaitForLineAsync(l => l.EndsWith("to try other settings.", StringComparison.Ordinal), Limit);
        var output = sandbox.Output;
        Assert.Contains("sandbox: kept running until Ctrl-C", output, StringComparison.Ordinal);
        var snapshot = SandboxReport().Match(output).Groups["snapshot"].Value;
        var exports = Regex.Match(output, "(?m)^  export (.*)$").Groups[1].Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => (string?)pair[1]);
        var binary = Regex.Match(output, "(?m)^  alias offline-backup=(.*)$").Groups[1].Value;
        var listLine = Regex.Match(output, "(?m)^  offline-backup list (--config .*)$").Groups[1].Value;

        // What a person pastes into another shell.
        using (var list = ChildProcess.Start(binary, ["list", .. listLine.Split(' ')], exports))
        {
            Assert.Equal(ExitCodes.Success, await list.WaitAsync(Limit));
            Assert.Contains(snapshot, list.Output);
        }

        sandbox.Signal(Signals.Int);
        var exitCode = await sandbox.WaitAsync(Limit);

        Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}\n{sandbox.Output}");
        AssertRemoved(ConfigDirectory(output));
    }

    [Fact]
    public async Task Ctrl_c_while_the_snapshot_completes_lets_the_tool_start_mysql_then_removes_everything()
    {
        // The snapshot takes long enough to be interrupted for sure once it has been created.
        using var sandbox = ChildProcess.Start(SandboxBinary, ["--snapshot-seconds", "600"]);
        await sandbox.WaitForLineAsync(l => l.StartsWith("$ offline-backup run ", StringComparison.Ordinal), Limit);
        var log = Path.Combine(ConfigDirectory(sandbox.Output), "offline-backup.log");
        await sandbox.WaitForAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("\"step\":\"WaitingForSnapshot\"", StringComparison.Ordinal), Limit);

        sandbox.Signal(Signals.Int);
        var exitCode = await sandbox.WaitAsync(Limit);

        var output = sandbox.Output;
        Assert.True(exitCode == ExitCodes.Interrupted, $"exit {exitCode}\n{output}");
        Assert.Contains("[exit 130: interrupted by SIGINT]", output);
        Assert.Matches("offline-backup run: interrupted .*snapshot snap-[0-9a-f]{17} had been created", output);
        Assert.Contains("sandbox: after the interrupted run the replica is up", output);
        Assert.Contains("sandbox: interrupted", output);
        AssertRemoved(ConfigDirectory(output));
    }

    /// <summary>The sandbox as built beside these tests, for the SIGKILL test beside this class.</summary>
    internal static string Binary => SandboxBinary;

    internal static TimeSpan StartLimit => Limit;

    internal static string RootOf(string output) => Path.GetDirectoryName(ConfigDirectory(output))!;

    /// <summary>The sandbox as built beside these tests; what `./sandbox` runs after building.</summary>
    private static string SandboxBinary => Path.Combine(AppContext.BaseDirectory, "OfflineBackup.Sandbox");

    private static string ConfigDirectory(string output)
    {
        var config = Regex.Match(output, "(?m)^sandbox: config (/.*)/config.yml$");
        Assert.True(config.Success, output);
        return config.Groups[1].Value;
    }

    /// <summary>The sandbox's directory is gone and no process (server, tool) still names it.</summary>
    private static void AssertRemoved(string configDirectory)
    {
        var root = Path.GetDirectoryName(configDirectory)!;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), SandboxDirectory.Prefix), root, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root), $"{root} is still there");
        Assert.Empty(SandboxProcesses.FindUsing(root));
        Assert.Empty(DiskReclaim.LoopsOf(root));
        Assert.Empty(DiskReclaim.MountsUnder(root));
    }

    [GeneratedRegex(@"sandbox: snapshot (?<snapshot>snap-[0-9a-f]{17}) of " + SandboxSiteVolume + " is completed")]
    private static partial Regex SandboxReport();

    private const string SandboxSiteVolume = "vol-0a1b2c3d4e5f60718";
}
