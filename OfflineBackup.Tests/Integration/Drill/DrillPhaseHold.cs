using System.Globalization;
using MySql.Data.MySqlClient;
using OfflineBackup.Sandbox.Ec2Double;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Sandbox.Testing;
using OfflineBackup.Tests.Support;

namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>The phases of a drill a test holds the real binary in.</summary>
public enum DrillPhase
{
    CreatingVolume,
    WaitingForDevice,
    Mounting,
    ServerStarting,
    Checking,
    StoppingServer,
    Unmounting,
    Detaching,
    Deleting,
}

/// <summary>
/// Holds a drill of the real binary in one phase until the test lets it go, each with a gate of
/// its own: the EC2 double keeps the volume creating or withholds its device; a mount or umount
/// wrapper first on the binary's PATH waits on a file gate before the real one; the mysqld
/// wrapper waits before it starts the real server, or, when stopped, before it stops it; a view
/// in the snapshot that the drill counts waits until a release file exists (LOAD_FILE in a
/// loop); the double's DetachVolume or DeleteVolume waits on an in-process gate. Disposing lets
/// everything go and puts the double and the replica back.
/// </summary>
internal sealed class DrillPhaseHold : IAsyncDisposable
{
    public const string GateSchema = "drillgate";

    private readonly VolumePairFixture _world;
    private readonly List<IDisposable> _gates = [];
    private Func<bool> _reached = () => false;
    private Action _afterSignal = () => { };

    private DrillPhaseHold(VolumePairFixture world, CliHarness cli, DrillPhase phase)
    {
        _world = world;
        Cli = cli;
        Phase = phase;
    }

    public DrillPhase Phase { get; }

    public CliHarness Cli { get; }

    public string SnapshotId { get; private set; } = "";

    /// <summary>Where the view of the checks phase reads its release; exists once released.</summary>
    public string ChecksRelease => Cli.Files.Path("checks.release");

    /// <summary>The binary's environment: a PATH with the phase's wrappers first, when it has some.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public bool IsReached => _reached();

    /// <summary>
    /// Writes the config for <paramref name="phase"/>, takes the snapshot the drill restores (with
    /// the gate view in it for every phase from the checks on) and arms the gate.
    /// </summary>
    public static async Task<DrillPhaseHold> ArmAsync(VolumePairFixture world, CliHarness cli, DrillPhase phase)
    {
        var hold = new DrillPhaseHold(world, cli, phase);
        try
        {
            await hold.ArmAsync();
            return hold;
        }
        catch
        {
            await hold.DisposeAsync();
            throw;
        }
    }

    /// <summary>The real binary, as cron starts it, with this hold's environment and the harness's config.</summary>
    public ChildProcess Start(params string[] arguments) =>
        new ToolProcess(ToolProcess.BuiltBinary) { LogFile = Cli.LogFile, Environment = Environment }
            .Start([.. arguments, "--config", Cli.ConfigPath]);

    /// <summary>
    /// For the phases the drill cannot leave by itself (a volume EC2 still creates, the clean-up
    /// steps, which finish whatever happens): what the outside world does once the signal is in.
    /// </summary>
    public void AfterSignal() => _afterSignal();

    /// <summary>The phases whose clean-up waits on the world, so the test waits until the signal was seen before it lets go.</summary>
    public bool WaitsOnTheWorld => Phase is DrillPhase.CreatingVolume or >= DrillPhase.StoppingServer;

    /// <summary>Lets the gate view's query finish (the view reads this file in a loop).</summary>
    public void ReleaseChecks() => File.WriteAllText(ChecksRelease, "go");

    private async Task ArmAsync()
    {
        var mysqld = DrillHarness.Mysqld;
        var scratch = Cli.Files.Path("drill");
        var wrappers = Cli.Files.Path("wrappers");
        Directory.CreateDirectory(wrappers);
        Environment["PATH"] = $"{wrappers}:{System.Environment.GetEnvironmentVariable("PATH")}";
        var gated = Phase >= DrillPhase.Checking;
        IReadOnlyList<string> countTables = gated
            ? [MariaDbReplicationPair.WritesTable, $"{GateSchema}.gate"]
            : [MariaDbReplicationPair.WritesTable];
        switch (Phase)
        {
            case DrillPhase.CreatingVolume:
                _world.Ec2.HoldNewVolumes = true;
                _reached = () => DrillVolume() is not null;
                _afterSignal = () =>
                {
                    _world.Ec2.HoldNewVolumes = false;
                    _world.Ec2.ReleaseVolume(DrillVolume()!.VolumeId);
                };
                break;
            case DrillPhase.WaitingForDevice:
                _world.Ec2.WithholdDevices = true;
                _reached = () => DrillVolume()?.Attachment is { State: "attached" };
                break;
            case DrillPhase.Mounting:
                var mount = Wrap(wrappers, "mount");
                _reached = () => mount.IsReached;
                break;
            case DrillPhase.ServerStarting:
                var starting = Gate("mysqld-start");
                mysqld = Script(wrappers, "gated-mysqld", $"{starting.Hold}; exec {DrillHarness.Mysqld} \"$@\"");
                _reached = () => starting.IsReached;
                break;
            case DrillPhase.Checking:
                _reached = () => GateQueryRuns(scratch);
                ReleaseChecksAtEnd();
                break;
            case DrillPhase.StoppingServer:
                var stopping = Gate("mysqld-stop");
                ReleaseChecks();
                mysqld = Script(wrappers, "slow-stopping-mysqld",
                    $"{DrillHarness.Mysqld} \"$@\" &\nchild=$!\n"
                    + $"trap '{stopping.Hold.Replace("'", "'\\''", StringComparison.Ordinal)}; kill -TERM $child; wait $child; exit 0' TERM\n"
                    + "wait $child");
                _reached = () => stopping.IsReached;
                _afterSignal = stopping.Release;
                break;
            case DrillPhase.Unmounting:
                ReleaseChecks();
                var unmount = Wrap(wrappers, "umount");
                _reached = () => unmount.IsReached;
                _afterSignal = unmount.Release;
                break;
            case DrillPhase.Detaching or DrillPhase.Deleting:
                ReleaseChecks();
                var action = Phase == DrillPhase.Detaching ? "DetachVolume" : "DeleteVolume";
                var gate = new Gate();
                _gates.Add(gate);
                _world.Ec2.OnRequest = (request, _) => request.Action == action ? gate.HoldAsync() : Task.CompletedTask;
                _reached = () => gate.IsReached;
                _afterSignal = gate.Release;
                break;
        }

        await DrillHarness.Config(_world, Cli, d => d with
        {
            Mysqld = mysqld,
            CountTables = countTables,
            VolumeTimeoutSeconds = 120,
            DeviceTimeoutSeconds = 600,
            StartTimeoutSeconds = 600,
        }).WriteAsync(Cli.ConfigPath, CancellationToken.None);
        SnapshotId = gated ? await SnapshotWithGateViewAsync() : await DrillWorld.SnapshotAsync(_world);
    }

    /// <summary>
    /// A snapshot whose copy holds a view that waits until <see cref="ChecksRelease"/> exists:
    /// made on the replica alone (not replicated), snapshotted, dropped again.
    /// </summary>
    private async Task<string> SnapshotWithGateViewAsync()
    {
        var replica = _world.Pair.Replica;
        var release = ChecksRelease.Replace("'", "''", StringComparison.Ordinal);
        await replica.ExecuteAsync(
            $"SET SESSION sql_log_bin = 0; CREATE DATABASE IF NOT EXISTS {GateSchema}; "
            + $"CREATE OR REPLACE FUNCTION {GateSchema}.held() RETURNS INT NOT DETERMINISTIC SQL SECURITY INVOKER "
            + $"BEGIN WHILE LOAD_FILE('{release}') IS NULL DO DO SLEEP(0.05); END WHILE; RETURN 1; END; "
            + $"CREATE OR REPLACE SQL SECURITY INVOKER VIEW {GateSchema}.gate AS SELECT {GateSchema}.held() AS held",
            CancellationToken.None);
        try
        {
            return await DrillWorld.SnapshotAsync(_world);
        }
        finally
        {
            await replica.ExecuteAsync($"SET SESSION sql_log_bin = 0; DROP DATABASE IF EXISTS {GateSchema}", CancellationToken.None);
        }
    }

    /// <summary>The drill's query on the gate view is running on the throwaway server (asked as the copy's root).</summary>
    private bool GateQueryRuns(string scratch)
    {
        var socket = Path.Combine(scratch, "mysqld.sock");
        if (!File.Exists(socket))
        {
            return false;
        }

        using var connection = _world.CopyRootConnection(socket, connectTimeoutSeconds: 2);
        try
        {
            connection.Open();
            using var command = new MySqlCommand(
                // The list shows the statement running inside the view's function, not the drill's SELECT.
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'offline_backup_drill' AND INFO = 'DO SLEEP(0.05)'", connection);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        }
        catch (MySqlException)
        {
            // Still starting, or in recovery: not there yet.
            return false;
        }
    }

    private void ReleaseChecksAtEnd() => _gates.Add(new Releaser(ReleaseChecks));

    private Ec2VolumeView? DrillVolume() =>
        _world.Ec2.Volumes().FirstOrDefault(v => v.SnapshotId == SnapshotId && SnapshotId.Length > 0);

    private FileGate Gate(string name)
    {
        var gate = new FileGate(Cli.Files.Directory, name);
        _gates.Add(gate);
        return gate;
    }

    /// <summary>A wrapper named like <paramref name="program"/>, first on the PATH: waits on its gate, then runs the real one.</summary>
    private FileGate Wrap(string directory, string program)
    {
        var gate = Gate(program);
        var real = System.Environment.GetEnvironmentVariable("PATH")!.Split(':')
            .Select(d => Path.Combine(d, program)).First(File.Exists);
        Script(directory, program, $"{gate.Hold}; exec {real} \"$@\"");
        return gate;
    }

    private static string Script(string directory, string name, string body)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Lets every gate go, puts the double back, and removes whatever a failed test's drill left.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var gate in _gates)
        {
            gate.Dispose();
        }

        _world.Ec2.OnRequest = null;
        _world.Ec2.HoldNewVolumes = false;
        _world.Ec2.WithholdDevices = false;
        await DrillWorld.ReclaimAsync(_world, Cli);
    }

    private sealed class Releaser(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
