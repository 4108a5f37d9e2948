using OfflineBackup.Bench;
using OfflineBackup.Bench.Benchmarks;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}\n{BenchOptions.Usage}");
    return 2;
}

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the pair's cleanup run: the sandbox servers must not outlive the bench.
    e.Cancel = true;
    interrupt.Cancel();
};
var token = interrupt.Token;

BenchSession started;
try
{
    started = await BenchSession.StartAsync(options, token);
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}

await using var session = started;
session.Progress($"sandbox up in {session.Pair.StartupTime.TotalSeconds:0.0} s; {options.Runs} run(s) per figure; build {options.Variant}");
var machine = await Machine.DescribeAsync(token);
var loadBefore = Machine.LoadAverage();
var sections = new List<Section>();
var failed = new List<string>();
foreach (var name in options.Sections)
{
    try
    {
        sections.AddRange(await RunSectionAsync(name));
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
    {
        // One broken benchmark must not throw away the figures of the others.
        failed.Add(name);
        Console.Error.WriteLine($"bench: {name} failed: {e}");
    }
}

Console.WriteLine(machine);
Console.WriteLine($"- load average (1 min): {loadBefore} at the start, {Machine.LoadAverage()} at the end");
Console.WriteLine($"- settings: {options.Runs} run(s) per figure, snapshot completion {options.CompletionSeconds} s, "
    + $"{options.InventorySize} snapshots for list/prune, build {options.Variant} for figures 1-3{(options.Quick ? ", QUICK (not for the record)" : "")}");
Console.WriteLine();
Console.WriteLine(Report.Render(sections));
var missed = sections.SelectMany(s => s.Figures).Where(f => f.Met == false).Select(f => f.Name).ToList();
Console.WriteLine(missed.Count == 0 ? "targets: every target met" : $"targets missed: {string.Join("; ", missed)}");
if (failed.Count > 0)
{
    Console.WriteLine($"benchmarks that failed (see stderr): {string.Join(", ", failed)}");
}

return failed.Count == 0 ? 0 : 1;

async Task<IReadOnlyList<Section>> RunSectionAsync(string name) => name switch
{
    "downtime" => [await DowntimeBench.RunAsync(session, "pending", token), await DowntimeBench.RunAsync(session, "completed", token)],
    "hourly" => await HourlyBench.RunAsync(session, token),
    "inventory" => await InventoryBench.RunAsync(session, token),
    "startup" => [await StartupBench.RunAsync(session, token)],
    "preflush" => [await PreFlushBench.RunAsync(session, token)],
    "online" => await OnlineBench.RunAsync(session, token),
    "drill" => [await DrillBench.RunAsync(session, token)],
    _ => throw new InvalidOperationException($"no benchmark named {name}"),
};
