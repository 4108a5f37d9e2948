using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Service;
using Ec2Api = OfflineBackup.Sandbox.Ec2Double.Ec2Double;
using Ec2Request = OfflineBackup.Sandbox.Ec2Double.Ec2Request;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// The tool's two outside worlds and its files, as the tests, the bench and the sandbox all set
/// them up: the real MariaDB pair (or none), a fresh EC2 API double with the volume, a config
/// that points the tool at both with the pair's real stop and start commands, and the runner
/// for the real binary. It also notes whether the replica's port was closed each time a real
/// CreateSnapshot arrived: the proof that the snapshot was of a stopped server.
/// </summary>
public sealed class ToolWorld : IAsyncDisposable
{
    /// <summary>MySQL's port when there is no pair: the discard port, where nothing answers.</summary>
    public const int NoMySqlPort = 9;

    private readonly MariaDbReplicationPair? _pair;
    private readonly bool _ownsPair;
    private readonly ToolWorldOptions _options;
    private readonly List<bool> _portClosedAtCreate = [];

    private ToolWorld(ToolWorldOptions options, MariaDbReplicationPair? pair, Ec2Api ec2, ToolFiles files)
    {
        _options = options;
        _pair = pair;
        _ownsPair = options.OwnPair is not null;
        (Ec2, Files) = (ec2, files);
        Config = options.Configure(DefaultConfig(), files);
        OnCreateSnapshot(null);
    }

    public MariaDbReplicationPair Pair => _pair ?? throw new InvalidOperationException("this world has no MariaDB pair");

    public Ec2Api Ec2 { get; }

    public ToolFiles Files { get; }

    /// <summary>The config as last written to <see cref="ToolFiles.Config"/>.</summary>
    public ToolConfig Config { get; private set; }

    /// <summary>The binary <see cref="StartTool"/> runs: the one built beside the caller unless set.</summary>
    public string Binary { get; set; } = ToolProcess.BuiltBinary;

    /// <summary>For each real CreateSnapshot that arrived, whether the replica's port was closed then.</summary>
    public IReadOnlyList<bool> PortClosedAtCreate
    {
        get
        {
            lock (_portClosedAtCreate)
            {
                return [.. _portClosedAtCreate];
            }
        }
    }

    public static async Task<ToolWorld> StartAsync(ToolWorldOptions options, CancellationToken cancellationToken)
    {
        var pair = options.OwnPair is { } own ? await MariaDbReplicationPair.StartAsync(own, cancellationToken) : options.Pair;
        Ec2Api? ec2 = null;
        try
        {
            if (pair?.ReplicaVolume is { } volume)
            {
                // The replica's data lives on a real (loop-mounted) volume: that image is the
                // double's EBS volume, so its snapshots are copies of the real data.
                ec2 = await Ec2Api.StartAsync(new Ec2Double.Ec2DoubleOptions { Disks = volume.Store }, cancellationToken);
                ec2.AddInstance(options.InstanceId);
                ec2.AddAttachedVolume(volume, options.InstanceId);
            }
            else
            {
                ec2 = await Ec2Api.StartAsync(cancellationToken: cancellationToken);
                if (options.VolumeSizeGiB is { } size)
                {
                    ec2.AddVolume(options.VolumeId, size);
                }
            }

            var files = options.Directory is not null ? new ToolFiles(options.Directory)
                : options.OwnPair is not null ? new ToolFiles(Path.Combine(pair!.RootDirectory, "offline-backup"))
                : ToolFiles.CreateTemporary();
            Directory.CreateDirectory(files.Directory);
            var world = new ToolWorld(options, pair, ec2, files);
            await world.Config.WriteAsync(files.Config, cancellationToken);
            return world;
        }
        catch
        {
            if (ec2 is not null)
            {
                await ec2.DisposeAsync();
            }

            if (options.OwnPair is not null && pair is not null)
            {
                await pair.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Writes the world's config changed by <paramref name="change"/> (from the world's own, not from the last rewrite).</summary>
    public async Task RewriteAsync(Func<ToolConfig, ToolConfig> change)
    {
        Config = change(_options.Configure(DefaultConfig(), Files));
        await Config.WriteAsync(Files.Config, CancellationToken.None);
    }

    /// <summary>Runs <paramref name="hook"/> (if any) when a real CreateSnapshot arrives, after noting whether the replica's port was closed.</summary>
    public void OnCreateSnapshot(Func<Ec2Request, CancellationToken, Task>? hook) =>
        Ec2.OnCreateSnapshot = async (request, cancellationToken) =>
        {
            if (_pair is not null)
            {
                var open = await TcpProbe.AcceptsConnectionsAsync(_pair.Replica.Host, _pair.Replica.Port, cancellationToken);
                lock (_portClosedAtCreate)
                {
                    _portClosedAtCreate.Add(!open);
                }
            }

            if (hook is not null)
            {
                await hook(request, cancellationToken);
            }
        };

    /// <summary>The real binary with <paramref name="arguments"/> and this world's config and log.</summary>
    public ChildProcess StartTool(params string[] arguments) =>
        new ToolProcess(Binary) { LogFile = Files.Log }.Start([.. arguments, "--config", Files.Config]);

    /// <summary>Both replication threads run on the replica (polling briefly: they may still be connecting).</summary>
    public async Task<bool> ReplicationRunsAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!limit.IsCancellationRequested)
        {
            var status = await Pair.ReplicaStatusAsync(CancellationToken.None);
            if (status is not null && (string?)status["Slave_IO_Running"] == "Yes" && (string?)status["Slave_SQL_Running"] == "Yes")
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await Ec2.DisposeAsync();
        try
        {
            Directory.Delete(Files.Directory, recursive: true);
        }
        catch (IOException)
        {
            // A server the tool started may still be writing here as it exits; the OS temp
            // cleaner takes what is left, and no outcome depends on it.
        }

        if (_ownsPair && _pair is not null)
        {
            await _pair.DisposeAsync();
        }
    }

    private ToolConfig DefaultConfig() => new()
    {
        MySqlHost = _pair?.Replica.Host ?? "127.0.0.1",
        MySqlPort = _pair?.Replica.Port ?? NoMySqlPort,
        MySqlUser = MariaDbReplicationPair.MonitorUser,
        MySqlPassword = MariaDbReplicationPair.MonitorPassword,
        VolumeId = _options.VolumeId,
        LockFile = Files.Lock,
        JournalFile = Files.Journal,
        Ec2Endpoint = Ec2.ServiceUrl,
        StopCommand = _pair is null ? "true" : ServiceCommands.Stop(_pair.Replica),
        StartCommand = _pair is null ? "true" : ServiceCommands.Start(_pair.Replica),
        PidFile = _pair?.ReplicaPidFile,
    };
}
