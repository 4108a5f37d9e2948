using System.Globalization;
using OfflineBackup.Sandbox.Disks;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Bench.Benchmarks;

/// <summary>
/// Figure 5: consistency.mode: online under write load. A pair of its own whose replica keeps
/// its data on a loop-mounted volume (the EC2 double snapshots that image), a writer inserting
/// on the primary and a reader querying the replica throughout each run (<see cref="WriteLoad"/>,
/// the tests' own). Measured: how long commits were blocked (granted → released) and how much
/// of that was not CreateSnapshot, how long the filesystem was frozen, the reader's longest
/// single query, and the replica's lag right after the run.
/// </summary>
public static class OnlineBench
{
    private const string User = "online";
    private const string Password = "Bench-Online-Pw-3";

    public static async Task<IReadOnlyList<Section>> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        session.Progress("online: starting a pair with the replica on a loop-mounted volume");
        await using var pair = await MariaDbReplicationPair.StartAsync(
            new MariaDbPairOptions { ReplicaVolume = new DataVolumeOptions { VolumeId = Scene.VolumeId, Mode = DiskModeRequest.Loop } }, cancellationToken);
        await pair.Replica.ExecuteAsync(
            $"CREATE USER '{User}'@'%' IDENTIFIED BY '{Password}'; GRANT {MariaDbReplicationPair.MonitorGrants}, RELOAD, PROCESS ON *.* TO '{User}'@'%'",
            cancellationToken);
        var sections = new List<Section> { await MeasureAsync(session, pair, freeze: false, cancellationToken) };
        if (FreezeBuilt)
        {
            sections.Add(await MeasureAsync(session, pair, freeze: true, cancellationToken));
        }

        return sections;
    }

    /// <summary>Whether this build can freeze (consistency.freeze_filesystem); see the notes otherwise.</summary>
    private static bool FreezeBuilt => true;

    private static async Task<Section> MeasureAsync(BenchSession session, MariaDbReplicationPair pair, bool freeze, CancellationToken cancellationToken)
    {
        var samples = new Samples();
        long rows = 0;
        for (var i = 0; i < session.Options.Runs; i++)
        {
            await pair.WaitForReplicaCaughtUpAsync(cancellationToken);
            await using var scene = await session.SceneAsync(pair, "pending", config => config with
            {
                MySqlUser = User,
                MySqlPassword = Password,
                DeviceDirectory = pair.Disks!.ByIdDirectory,
                Consistency = new ConsistencyConfig { Mode = "online", FreezeFilesystem = freeze ? true : null },
            }, cancellationToken);
            session.Progress($"online run{(freeze ? " (frozen)" : "")} {i + 1}/{session.Options.Runs} under write load");
            await using var load = WriteLoad.Start(pair);
            await load.WarmUpAsync(20, TimeSpan.FromSeconds(60));

            var run = await scene.InvokeExpectingAsync(0, session.MainBinary, ["run"], cancellationToken);
            var lag = await LagAsync(pair, cancellationToken);
            var seen = await load.StopAsync();
            if (seen.ReaderFailures.Count > 0)
            {
                throw new InvalidOperationException($"the reader failed during an online run: {seen.ReaderFailures[0]}");
            }

            var laps = run.Log.Timings();
            samples.Add("blocked", laps["blocked"]);
            samples.Add("create", laps["create"]);
            samples.Add("own", laps["blocked"] - laps["create"]);
            samples.Add("lock wait", laps["lock_wait"]);
            if (freeze)
            {
                samples.Add("frozen", laps["frozen"]);
            }

            samples.Add("reader", seen.LongestRead.TotalMilliseconds);
            samples.Add("lag", lag);
            samples.Add("wall", run.Result.Wall.TotalMilliseconds);
            rows += seen.Written.Count;
        }

        var section = new Section($"5{(freeze ? "b" : "a")}. consistency.mode: online{(freeze ? " with freeze_filesystem" : "")} under write load");
        section.Add("lock asked → granted (BACKUP STAGE BLOCK_COMMIT)", "ms", samples["lock wait"]);
        section.Add("commits blocked (granted → released)", "ms", samples["blocked"]);
        section.Add("CreateSnapshot call", "ms", samples["create"]);
        section.Add("tool's own while blocked (blocked − CreateSnapshot)", "ms", samples["own"], Target.AtMost(100, "ms"));
        if (freeze)
        {
            section.Add("filesystem frozen", "ms", samples["frozen"]);
        }

        section.Add("reader's longest query on the replica", "ms", samples["reader"]);
        section.Add("replica lag right after the run", "s", samples["lag"], format: "0.0");
        section.Add("whole invocation", "ms", samples["wall"]);
        section.Notes.Add(
            $"Load: one writer committing single-row inserts on the primary back to back ({rows.ToString(CultureInfo.InvariantCulture)} rows over the runs) and one reader on the replica "
            + "(SELECT COUNT(*), MAX(id), a 5 ms pause between queries). The tool's own share while blocked: reading the position, writing and "
            + "fsyncing offline_backup_replica_position, FLUSH ENGINE LOGS, syncfs of the data directory's filesystem, the journal, the release.");
        if (!freeze && !FreezeBuilt)
        {
            section.Notes.Add("freeze_filesystem is not measured: this build has no freeze (branch freeze not merged yet).");
        }

        return section;
    }

    /// <summary>Seconds_Behind_Master right after the run (the applier restarted, catching up).</summary>
    private static async Task<double> LagAsync(MariaDbReplicationPair pair, CancellationToken cancellationToken)
    {
        var status = await pair.ReplicaStatusAsync(cancellationToken);
        return status?["Seconds_Behind_Master"] is { } value and not DBNull
            ? Convert.ToDouble(value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("replication is not running right after an online run");
    }
}
