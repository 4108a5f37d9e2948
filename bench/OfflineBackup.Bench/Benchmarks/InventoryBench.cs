namespace OfflineBackup.Bench.Benchmarks;

/// <summary>
/// Figure 3: <c>list</c> and <c>prune --dry-run</c> over a large inventory (10,000 completed
/// snapshots of ours by default, one an hour, so most are past retention and prune has a full
/// plan to print). The double serves at most the 1,000 per page the tool asks for.
/// </summary>
public static class InventoryBench
{
    public static async Task<IReadOnlyList<Section>> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        await using var scene = await session.SceneAsync("completed", cancellationToken);
        var size = session.Options.InventorySize;
        scene.Ec2.Seed(Inventory.OursCompleted(size, DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromHours(1)));
        return
        [
            await MeasureAsync(session, scene, $"3a. `list` over {size:N0} snapshots", ["list"], cancellationToken),
            await MeasureAsync(session, scene, $"3b. `prune --dry-run` over {size:N0} snapshots", ["prune", "--dry-run"], cancellationToken),
        ];
    }

    private static async Task<Section> MeasureAsync(
        BenchSession session, Scene scene, string title, string[] arguments, CancellationToken cancellationToken)
    {
        await scene.InvokeExpectingAsync(0, session.MainBinary, arguments, cancellationToken);
        var samples = new Samples();
        var outputBytes = 0L;
        for (var i = 0; i < session.Options.Runs; i++)
        {
            session.Progress($"{string.Join(' ', arguments)} {i + 1}/{session.Options.Runs}");
            scene.Ec2.Calls.Clear();
            var invocation = await scene.InvokeExpectingAsync(0, session.MainBinary, arguments, cancellationToken);
            var calls = scene.Ec2.Calls.All;
            samples.Add("wall", invocation.Result.Wall.TotalMilliseconds);
            samples.Add("cpu", (invocation.Result.Usage.UserSeconds + invocation.Result.Usage.SystemSeconds) * 1000);
            samples.Add("rss", invocation.Result.PeakRssMiB);
            samples.Add("pages", calls.Count(c => c.Action == "DescribeSnapshots" && !c.DryRun));
            samples.Add("other", calls.Count(c => c.Action != "DescribeSnapshots" || c.DryRun));
            outputBytes = invocation.Result.Output.Length;
        }

        var section = new Section(title);
        section.Add("wall time", "ms", samples["wall"]);
        section.Add("CPU time (user + system)", "ms", samples["cpu"]);
        section.Add("peak resident memory", "MiB", samples["rss"], format: "0.0");
        section.Add("DescribeSnapshots pages", "pages", samples["pages"]);
        section.Add("other EC2 calls", "calls", samples["other"]);
        section.Notes.Add($"stdout: {outputBytes:N0} characters, read through a pipe. One discarded warm-up invocation precedes the runs.");
        return section;
    }
}
