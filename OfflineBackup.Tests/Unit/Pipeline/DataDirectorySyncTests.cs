namespace OfflineBackup.Tests.Unit.Pipeline;

/// <summary>
/// Where the sync after the stop applies: only to a data directory that is a directory on this
/// host; anything else (a server on another host, a path not reported) is skipped and the run
/// goes on. What it does to a real filesystem is tested in Integration/Disks/DataDirectorySyncTests.
/// </summary>
public sealed class DataDirectorySyncTests : FakeRunTests
{
    [Theory]
    [InlineData("/nonexistent-offline-backup-host/var/lib/mysql/")]
    [InlineData("")]
    [InlineData("var/lib/mysql")]
    public async Task A_data_directory_that_is_not_a_local_path_is_skipped(string reported)
    {
        _replica.DataDirectory = reported;

        Assert.Null(await new DataDirectorySync(_replica).LocateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_local_data_directory_is_synced()
    {
        _replica.DataDirectory = _dir.Path + "/";
        var sync = new DataDirectorySync(_replica);

        var located = await sync.LocateAsync(CancellationToken.None);

        Assert.Equal(_dir.Path + "/", located);
        Assert.True(await sync.SyncAsync(located!, CancellationToken.None, CancellationToken.None) >= TimeSpan.Zero);
    }

    [Fact]
    public async Task A_sync_that_cannot_be_done_is_no_snapshot()
    {
        var sync = new DataDirectorySync(_replica);

        var refused = await Assert.ThrowsAsync<BackupException>(
            () => sync.SyncAsync(_dir.File("gone-since-the-stop"), CancellationToken.None, CancellationToken.None));

        Assert.Equal(ExitCodes.SnapshotFailed, refused.ExitCode);
        Assert.Contains("no snapshot was taken", refused.Message);
    }

    [Fact]
    public async Task A_run_whose_server_is_on_another_host_skips_the_sync_and_takes_the_snapshot()
    {
        _replica.DataDirectory = "/nonexistent-offline-backup-host/var/lib/mysql/";
        var run = CreateRun(new SelfAdvancingTimeProvider(DateTimeOffset.UtcNow), dataSync: new DataDirectorySync(_replica));

        var report = await run.ExecuteAsync(() => ExitCodes.Terminated, CancellationToken.None);

        Assert.True(report.ExitCode == ExitCodes.Success, report.Summary);
        Assert.Single(_store.Created);
        Assert.Equal(["stop", "start"], _service.Calls);
        Assert.Contains(run.Describe(DateTimeOffset.UtcNow), step => step.Action.Contains("syncfs", StringComparison.Ordinal));
    }
}
