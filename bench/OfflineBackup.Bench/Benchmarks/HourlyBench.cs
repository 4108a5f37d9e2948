using System.Globalization;

namespace OfflineBackup.Bench.Benchmarks;

/// <summary>
/// Figure 2: what the 23 hourly invocations a day that find nothing to do cost. The volume has
/// one completed snapshot of ours, an hour old: <c>run</c> exits 4 (not due) and so does
/// <c>check</c>, which evaluates every guard instead of stopping at the first refusal.
/// </summary>
public static class HourlyBench
{
    public static async Task<IReadOnlyList<Section>> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        await using var scene = await session.SceneAsync("completed", cancellationToken);
        scene.Ec2.Seed(Inventory.OursCompleted(1, DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromDays(1)));
        var counters = new MySqlCounters(session.Pair.Replica);
        await counters.CalibrateAsync(cancellationToken);
        return
        [
            await MeasureAsync(session, scene, counters, "2a. The hourly not-due `run` (exit 4)", ["run"], notDuePath: true, cancellationToken),
            await MeasureAsync(session, scene, counters, "2b. `check` in the same state (exit 4)", ["check"], notDuePath: false, cancellationToken),
        ];
    }

    private static async Task<Section> MeasureAsync(
        BenchSession session, Scene scene, MySqlCounters counters, string title, string[] arguments, bool notDuePath, CancellationToken cancellationToken)
    {
        // One discarded invocation first: the figures are for a warm page cache, as on a server
        // that runs the tool every hour.
        await scene.InvokeExpectingAsync(4, session.MainBinary, arguments, cancellationToken);
        var samples = new Samples();
        var ec2Calls = new SortedSet<string>(StringComparer.Ordinal);
        var mysqlCalls = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < session.Options.Runs; i++)
        {
            session.Progress($"{string.Join(' ', arguments)} (not due) {i + 1}/{session.Options.Runs}");
            await session.Pair.WaitForReplicaCaughtUpAsync(cancellationToken);
            scene.Ec2.Calls.Clear();
            var before = await counters.ReadAsync(cancellationToken);
            var invocation = await scene.InvokeExpectingAsync(4, session.MainBinary, arguments, cancellationToken);
            var delta = counters.Delta(before, await counters.ReadAsync(cancellationToken));
            var calls = scene.Ec2.Calls.All;

            samples.Add("wall", invocation.Result.Wall.TotalMilliseconds);
            samples.Add("rss", invocation.Result.PeakRssMiB);
            samples.Add("cpu", (invocation.Result.Usage.UserSeconds + invocation.Result.Usage.SystemSeconds) * 1000);
            samples.Add("ec2", calls.Count);
            samples.Add("pages", calls.Count(c => c.Action == "DescribeSnapshots" && !c.DryRun));
            samples.Add("other", calls.Count(c => c.Action != "DescribeSnapshots" || c.DryRun));
            samples.Add("connections", delta.GetValueOrDefault("Connections"));
            samples.Add("questions", delta.GetValueOrDefault("Questions"));
            ec2Calls.Add(string.Join(", ", calls.GroupBy(c => c.Action + (c.DryRun ? " (DryRun)" : "")).Select(g => $"{g.Count()}× {g.Key}")));
            mysqlCalls.Add(string.Join(", ", delta.Where(kv => kv.Key.StartsWith("Com_", StringComparison.Ordinal))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value}× {kv.Key}"))));
        }

        var section = new Section(title);
        section.Add("wall time", "ms", samples["wall"]);
        section.Add("CPU time (user + system)", "ms", samples["cpu"]);
        section.Add("peak resident memory", "MiB", samples["rss"], format: "0.0");
        section.Add("EC2 calls", "calls", samples["ec2"]);
        section.Add("DescribeSnapshots pages", "pages", samples["pages"], notDuePath ? Target.Exactly(1) : null);
        section.Add("other EC2 calls", "calls", samples["other"], notDuePath ? Target.Exactly(0) : null);
        section.Add("MySQL connections", "connections", samples["connections"]);
        section.Add("MySQL client commands (Questions)", "commands", samples["questions"]);
        section.Notes.Add($"EC2 calls: {string.Join(" | ", ec2Calls)}");
        section.Notes.Add($"MySQL statements by kind: {string.Join(" | ", mysqlCalls)}");
        section.Notes.Add("Connections counts every connection to the replica; Questions every command a client sent, statements and "
            + "COM_QUIT alike (the bench's own status reads are measured beforehand and subtracted). Each connection MySql.Data opens "
            + "costs five set-up statements of its own (SELECT @@max_allowed_packet..., SELECT TIMEDIFF(...), SHOW COLLATION, "
            + "SET NAMES, SET character_set_results) besides the handshake. One discarded warm-up invocation precedes the runs.");
        return section;
    }
}
