using System.Diagnostics;
using OfflineBackup.Configuration;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>How the pair is built.</summary>
public sealed record MariaDbPairOptions
{
    /// <summary>
    /// Give the replica skip-slave-start: after a restart it serves clients but does not
    /// replicate until someone runs START SLAVE, the case where the tool must restore
    /// replication itself. Can be changed later with <see cref="MariaDbReplicationPair.SetReplicaSkipSlaveStartAsync"/>.
    /// </summary>
    public bool ReplicaSkipSlaveStart { get; init; }

    /// <summary>
    /// Destroy the pair at once on SIGINT, SIGTERM, SIGHUP or SIGQUIT (the default, for test
    /// runs). The sandbox command turns it off: it handles those signals itself, so that a tool
    /// run it interrupts can start MySQL again before the servers go. Process exit without
    /// disposing still destroys the pair either way.
    /// </summary>
    public bool DestroyOnSignal { get; init; } = true;

    /// <summary>
    /// Put the replica's data directory and relay logs on a real volume (an ext4 image,
    /// loop-mounted; plain directories where the machine cannot) instead of a plain directory:
    /// what the EC2 double snapshots when it is given <see cref="MariaDbReplicationPair.Disks"/>.
    /// </summary>
    public Disks.DataVolumeOptions? ReplicaVolume { get; init; }

    /// <summary>The primary's InnoDB size; the tests' small one unless a bench scene asks for more.</summary>
    public InnoDbSizing PrimarySizing { get; init; } = InnoDbSizing.Small;

    /// <summary>The replica's InnoDB size and flushing; the tests' small one unless a bench scene asks for more.</summary>
    public InnoDbSizing ReplicaSizing { get; init; } = InnoDbSizing.Small;
}

/// <summary>
/// A real MariaDB primary and replica with GTID replication, on free 127.0.0.1 ports, in a
/// temporary directory. <see cref="DisposeAsync"/> kills both servers and deletes the
/// directory; a test process that dies before disposing is cleaned up at its exit, or, if it
/// was killed outright, by the next pair started on the machine.
/// </summary>
public sealed partial class MariaDbReplicationPair : IAsyncDisposable
{
    public const string MonitorUser = "monitor";

    /// <summary>Known on purpose: tests check that it never shows in any output.</summary>
    public const string MonitorPassword = "Sandbox-Monitor-Pw-7731";

    /// <summary>
    /// Least privilege for the tool on MariaDB 10.5.9+: read status, stop/start replication, and
    /// SUPER for the pre-flush's SET GLOBAL of the dirty-page limits (MariaDB has no narrower one).
    /// </summary>
    public const string MonitorGrants = "SLAVE MONITOR, REPLICATION SLAVE ADMIN, SUPER";

    public const string SandboxDatabase = "sandbox";
    public const string WritesTable = SandboxDatabase + ".writes";
    public const string ConflictsTable = SandboxDatabase + ".conflicts";

    private readonly MariaDbPairOptions _options;
    private readonly OwnedSandbox _sandbox;

    private MariaDbReplicationPair(
        OwnedSandbox sandbox, MariaDbServer primary, MariaDbServer replica, MariaDbPairOptions options, Disks.DataVolume? replicaVolume)
    {
        _sandbox = sandbox;
        Primary = primary;
        Replica = replica;
        _options = options;
        ReplicaVolume = replicaVolume;
    }

    public string RootDirectory => _sandbox.Path;

    public MariaDbServer Primary { get; }

    public MariaDbServer Replica { get; }

    /// <summary>The replica's data volume, when <see cref="MariaDbPairOptions.ReplicaVolume"/> asked for one.</summary>
    public Disks.DataVolume? ReplicaVolume { get; }

    /// <summary>The store holding the replica's volume, to give the EC2 double; null without one.</summary>
    public Disks.DiskStore? Disks => ReplicaVolume?.Store;

    /// <summary>Wall time StartAsync took: install, first starts, accounts, replication.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>/bin/sh command that cleanly stops the replica and waits until it has exited.</summary>
    public string ReplicaStopCommand => Replica.StopCommand;

    /// <summary>/bin/sh command that starts the replica detached and returns at once.</summary>
    public string ReplicaStartCommand => Replica.StartCommand;

    public string ReplicaPidFile => Replica.PidFile;

    public static async Task<MariaDbReplicationPair> StartAsync(
        MariaDbPairOptions? options, CancellationToken cancellationToken)
    {
        options ??= new MariaDbPairOptions();
        var clock = Stopwatch.StartNew();
        // A test run that ends without disposing (runner killed, Ctrl-C) must not leave
        // servers behind.
        var sandbox = OwnedSandbox.Create(options.DestroyOnSignal);
        try
        {
            var (primary, replica, volume) = await MariaDbPairSetup.CreateAsync(sandbox.Path, options, cancellationToken);
            var pair = new MariaDbReplicationPair(sandbox, primary, replica, options, volume);
            await pair.WaitForReplicaCaughtUpAsync(cancellationToken);
            pair.StartupTime = clock.Elapsed;
            return pair;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    /// <summary>Settings for the tool's MySQL connection: the replica, as the monitor user.</summary>
    public MySqlSettings MonitorSettings(TimeSpan? connectTimeout = null) =>
        ReplicaSettings(MonitorUser, MonitorPassword, connectTimeout);

    /// <summary>Settings for the replica as any account, e.g. one created by a test.</summary>
    public MySqlSettings ReplicaSettings(string user, string password, TimeSpan? connectTimeout = null) =>
        new(Replica.Host, user, Replica.Port, new Secret(password), SandboxDatabase,
            connectTimeout ?? TimeSpan.FromSeconds(5));

    public Task StopReplicaServerAsync(CancellationToken cancellationToken) =>
        Replica.StopAsync(cancellationToken);

    public Task StartReplicaServerAsync(CancellationToken cancellationToken) =>
        Replica.StartAsync(cancellationToken);

    public Task<bool> IsReplicaUpAsync(CancellationToken cancellationToken) =>
        Replica.IsUpAsync(cancellationToken);

    /// <summary>
    /// Whether the replica gets skip-slave-start. Written to its my.cnf, so it applies from the
    /// next start, as on a real server.
    /// </summary>
    public Task SetReplicaSkipSlaveStartAsync(bool skip, CancellationToken cancellationToken) =>
        Replica.RewriteConfigAsync(Replica.Config with { SkipSlaveStart = skip }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        // SIGKILL, not a clean shutdown: the data is thrown away with the directory.
        _sandbox.Dispose();
        return ValueTask.CompletedTask;
    }
}
