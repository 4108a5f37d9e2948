using OfflineBackup.MySql;

namespace OfflineBackup.Tests.Support;

/// <summary>
/// A hand-written InnoDB for pipeline unit tests (the adapter is tested against MariaDB): the
/// dirty pages follow <see cref="Dirty"/>, one value per read (the last one repeats).
/// </summary>
internal sealed class FakeInnoDbServer : IInnoDbServer
{
    public FlushLimits Limits { get; set; } = new(90, 10);

    public int FastShutdown { get; set; } = 1;

    public bool DumpAtShutdown { get; set; } = true;

    public string ErrorLog { get; set; } = string.Empty;

    public TimeSpan Uptime { get; set; } = TimeSpan.FromDays(3);

    public long Total { get; set; } = 65_536;

    public Queue<long> Dirty { get; } = new([0]);

    public List<string> Calls { get; } = [];

    /// <summary>Thrown by SetLimits when set: the user lacks SUPER, say.</summary>
    public Exception? SetFails { get; set; }

    private long _lastDirty;

    public Task<InnoDbState> ReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new InnoDbState(Limits, FastShutdown, DumpAtShutdown, ErrorLog, Uptime));

    public Task<DirtyPages> ReadDirtyPagesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Dirty.Count > 0)
        {
            _lastDirty = Dirty.Dequeue();
        }

        Calls.Add($"dirty {_lastDirty}");
        return Task.FromResult(new DirtyPages(_lastDirty, Total));
    }

    public Task SetLimitsAsync(FlushLimits limits, CancellationToken cancellationToken)
    {
        if (SetFails is not null)
        {
            throw SetFails;
        }

        Calls.Add($"set {limits}");
        Limits = limits;
        return Task.CompletedTask;
    }

    public Task DumpBufferPoolNowAsync(CancellationToken cancellationToken)
    {
        Calls.Add("dump");
        return Task.CompletedTask;
    }
}
