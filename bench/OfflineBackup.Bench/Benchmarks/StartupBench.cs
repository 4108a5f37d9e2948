namespace OfflineBackup.Bench.Benchmarks;

/// <summary>
/// Figure 4: start-up of each build bench/run published: <c>offline-backup --version</c> (the
/// runtime and the command line parser, nothing else), and, because that is what start-up
/// costs every hour, the not-due <c>run</c> of figure 2 with each build.
/// </summary>
public static class StartupBench
{
    public static async Task<Section> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        await using var scene = await session.SceneAsync("completed", cancellationToken);
        scene.Ec2.Seed(Inventory.OursCompleted(1, DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromDays(1)));
        var section = new Section("4. Start-up by build");
        foreach (var variant in BenchOptions.Variants)
        {
            var binary = session.Options.Binary(variant);
            var version = new Samples();
            var notDue = new Samples();
            await scene.InvokeExpectingAsync(0, binary, ["--version"], cancellationToken);
            await scene.InvokeExpectingAsync(4, binary, ["run"], cancellationToken);
            for (var i = 0; i < session.Options.Runs; i++)
            {
                session.Progress($"start-up {variant} {i + 1}/{session.Options.Runs}");
                var v = await scene.InvokeExpectingAsync(0, binary, ["--version"], cancellationToken);
                version.Add("wall", v.Result.Wall.TotalMilliseconds);
                version.Add("rss", v.Result.PeakRssMiB);
                var r = await scene.InvokeExpectingAsync(4, binary, ["run"], cancellationToken);
                notDue.Add("wall", r.Result.Wall.TotalMilliseconds);
                notDue.Add("rss", r.Result.PeakRssMiB);
            }

            section.Add($"{variant}: `--version` wall time", "ms", version["wall"]);
            section.Add($"{variant}: `--version` peak memory", "MiB", version["rss"], format: "0.0");
            section.Add($"{variant}: not-due `run` wall time", "ms", notDue["wall"]);
            section.Add($"{variant}: not-due `run` peak memory", "MiB", notDue["rss"], format: "0.0");
            section.Notes.Add($"{variant}: {BuildSize(binary)}");
        }

        section.Notes.Add("All four are Release and framework-dependent (they need the .NET 10 runtime): IL only; ReadyToRun "
            + "(linux-x64, precompiled, so little JIT at start); single-file (linux-x64, one executable plus nlog.config); and "
            + "single-file with ReadyToRun. One discarded warm-up invocation of each command per build.");
        return section;
    }

    private static string BuildSize(string binary)
    {
        var directory = Path.GetDirectoryName(binary)!;
        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories);
        var bytes = files.Sum(f => new FileInfo(f).Length);
        return $"{files.Length} files, {bytes / 1024.0 / 1024.0:0.0} MiB in {Path.GetFileName(directory)}/";
    }
}
