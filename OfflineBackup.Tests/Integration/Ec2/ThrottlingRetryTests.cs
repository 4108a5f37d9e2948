using NLog;
using NLog.Config;
using NLog.Targets;

namespace OfflineBackup.Tests.Integration.Ec2;

[CollectionDefinition(nameof(GlobalLoggingCollection), DisableParallelization = true)]
public sealed class GlobalLoggingCollection;

/// <summary>Replaces the process-wide NLog configuration, so it runs alone.</summary>
[Collection(nameof(GlobalLoggingCollection))]
public sealed class ThrottlingRetryTests : IAsyncLifetime
{
    private readonly Ec2Harness _h = new();
    private readonly MemoryTarget _log = new("retries") { Layout = "${level:uppercase=true}|${logger}|${message}" };
    private LoggingConfiguration? _previous;

    public async Task InitializeAsync()
    {
        _previous = LogManager.Configuration;
        var config = new LoggingConfiguration();
        config.AddRule(NLog.LogLevel.Info, NLog.LogLevel.Fatal, _log, "OfflineBackup.Aws.*");
        LogManager.Configuration = config;
        await _h.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        LogManager.Configuration = _previous;
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_SDK_logged_and_then_succeeds()
    {
        _h.Ec2.Seed(new SnapshotSeed("snap-0e000000000000001", Ec2Harness.Volume, DateTimeOffset.UtcNow));
        _h.Ec2.Faults.FailNext("DescribeSnapshots", 2, Ec2Fault.RequestLimitExceeded());

        var listed = await _h.Store.ListVolumeSnapshotsAsync(Ec2Harness.Volume, CancellationToken.None);

        Assert.Equal("snap-0e000000000000001", Assert.Single(listed).Id);
        Assert.Equal([503, 503, 200], _h.Ec2.Calls.Of("DescribeSnapshots").Select(c => c.HttpStatus));
        var warnings = _log.Logs.Where(l => l.Contains("RequestLimitExceeded (HTTP 503)", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.StartsWith("INFO|OfflineBackup.Aws.LoggingRetryPolicy|ec2:DescribeSnapshots failed", w, StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("SDK retry 1 of", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("SDK retry 2 of", StringComparison.Ordinal));
    }
}
