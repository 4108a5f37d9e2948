namespace OfflineBackup.Tests.Support;

/// <summary>A hand-written replica for pipeline unit tests (the adapter itself is tested against MariaDB).</summary>
internal sealed class FakeReplicaServer : IReplicaServer
{
    public ServerState State { get; set; } = Healthy(lagSeconds: 5);

    public bool Reachable { get; set; } = true;

    /// <summary>An unexpected exception ReadState throws: a bug in an adapter, for exit 1.</summary>
    public Exception? Bug { get; set; }

    public List<MissingPrivilege> Missing { get; } = [];

    /// <summary>What @@datadir says.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    public Task<string> ReadDataDirectoryAsync(CancellationToken cancellationToken) => Task.FromResult(DataDirectory);

    public static ServerState Healthy(long? lagSeconds) => new(
        "5.5.5-10.11.6-MariaDB",
        ReadOnly: true,
        [new ReplicaChannel(string.Empty, IoRunning: true, SqlRunning: true, lagSeconds, OpenTempTables: 0, string.Empty, string.Empty)]);

    public Task<ServerState> ReadStateAsync(CancellationToken cancellationToken) => Bug is not null
        ? throw Bug
        : Reachable
        ? Task.FromResult(State)
        : throw new BackupException(ExitCodes.ReplicaUnhealthy, "cannot connect to MySQL at 127.0.0.1:3306 as monitor");

    public Task<IReadOnlyList<MissingPrivilege>> FindMissingPrivilegesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MissingPrivilege>>(Missing);

    public List<string> Calls { get; } = [];

    /// <summary>When set, START REPLICA "succeeds" but the SQL thread stops at once with this error.</summary>
    public string? StartFailsWith { get; set; }

    /// <summary>Temporary tables the applier holds once replication is stopped.</summary>
    public int OpenTempTablesWhenStopped { get; set; }

    public Task StopReplicationAsync(CancellationToken cancellationToken)
    {
        Calls.Add("stop-replication");
        State = State with
        {
            Channels = State.Channels.Select(c => c with { IoRunning = false, SqlRunning = false, SecondsBehind = null, OpenTempTables = OpenTempTablesWhenStopped }).ToList(),
        };
        return Task.CompletedTask;
    }

    public Task StartReplicationAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        Calls.Add("start-replication:" + string.Join(",", channels));
        State = State with
        {
            Channels = State.Channels.Select(c => channels.Count == 0 || channels.Contains(c.Name)
                ? c with { IoRunning = true, SqlRunning = StartFailsWith is null, SecondsBehind = StartFailsWith is null ? 0 : null, LastSqlError = StartFailsWith ?? string.Empty }
                : c).ToList(),
        };
        return Task.CompletedTask;
    }

    public Task<bool> IsUpAsync(CancellationToken cancellationToken) => Task.FromResult(Reachable);
}
