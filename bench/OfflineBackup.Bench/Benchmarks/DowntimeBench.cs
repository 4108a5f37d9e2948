using System.Globalization;
using OfflineBackup.Sandbox.Ec2Double;

namespace OfflineBackup.Bench.Benchmarks;

/// <summary>
/// Figure 1: how long a real, due <c>run</c> keeps MySQL down, broken down by the run's own
/// timings line, in both restart_after modes. Each repetition gets a fresh EC2 double (no
/// snapshot yet, so the run is due) and waits for the replica to be caught up first.
/// </summary>
public static class DowntimeBench
{
    public static async Task<Section> RunAsync(BenchSession session, string restartAfter, CancellationToken cancellationToken)
    {
        var options = session.Options;
        var completed = restartAfter == "completed";
        var samples = new Samples();
        var completions = new List<int>();
        for (var i = 0; i < options.Runs; i++)
        {
            await session.Pair.WaitForReplicaCaughtUpAsync(cancellationToken);
            await using var scene = await session.SceneAsync(restartAfter, cancellationToken);
            // Completion times spread over one poll interval (10 s): a real snapshot completes
            // at no particular moment relative to the polls, so neither the lucky nor the
            // unlucky phase alone is the figure.
            var completion = TimeSpan.FromSeconds(options.CompletionSeconds + (10.0 * i / options.Runs));
            completions.Add((int)completion.TotalSeconds);
            scene.Ec2.Completion = completed ? new SnapshotCompletion.AfterDuration(completion) : SnapshotCompletion.Default;
            session.Progress($"run restart_after={restartAfter} {i + 1}/{options.Runs}" + (completed ? $" (snapshot completes after {completion.TotalSeconds:0.#} s)" : ""));

            var run = await scene.InvokeExpectingAsync(0, session.MainBinary, ["run"], cancellationToken);
            if (!await session.Pair.IsReplicaUpAsync(cancellationToken))
            {
                throw new InvalidOperationException("the replica is down after a successful run\n" + run.Result);
            }

            var laps = run.Log.Timings();
            var wait = laps.GetValueOrDefault("wait");
            samples.Add("stop", laps["stop"]);
            samples.Add("create", laps["create"]);
            samples.Add("wait", wait);
            samples.Add("start", laps["start"]);
            samples.Add("down", laps["down"]);
            samples.Add("overhead", laps["down"] - laps["create"] - wait - laps["start"]);
            samples.Add("replication", laps["replication"]);
            samples.Add("unavailable", (run.Log.TimeOf("MySQL is up") - run.Log.TimeOf("stopping MySQL with")).TotalMilliseconds);
            samples.Add("wall", run.Result.Wall.TotalMilliseconds);

            if (completed)
            {
                var snapshot = scene.Ec2.Snapshots().Single();
                var completedAt = snapshot.StartTime + completion;
                var startRequested = run.Log.TimeOf("starting MySQL with");
                var created = scene.Ec2.Calls.Of("CreateSnapshot").Single(c => !c.DryRun).Request.ReceivedAt;
                var polls = scene.Ec2.Calls.Of("DescribeSnapshots")
                    .Count(c => c.Request.ReceivedAt > created && c.Request.ReceivedAt < startRequested);
                samples.Add("latency", (startRequested - completedAt).TotalSeconds);
                samples.Add("polls", polls);
                samples.Add("polls per 10 s", polls / (wait / 10_000.0));
            }
        }

        var section = new Section($"1{(completed ? "b" : "a")}. Downtime of a due `run`, restart_after={restartAfter}");
        section.Add("stop: command + wait until down", "ms", samples["stop"]);
        section.Add("CreateSnapshot call", "ms", samples["create"]);
        if (completed)
        {
            section.Add("completion wait", "ms", samples["wait"]);
        }

        section.Add("start: command + wait until up", "ms", samples["start"]);
        section.Add("tool's own overhead while down", "ms", samples["overhead"], Target.AtMost(300, "ms"));
        section.Add("MySQL down (seen down → seen up)", "ms", samples["down"]);
        section.Add("MySQL unavailable (stop requested → seen up)", "ms", samples["unavailable"]);
        section.Add("replication restored after start", "ms", samples["replication"]);
        section.Add("whole invocation", "ms", samples["wall"]);
        if (completed)
        {
            section.Add("start requested after snapshot completed", "s", samples["latency"], Target.AtMost(15, "s"), "0.0");
            section.Add("DescribeSnapshots calls while waiting", "calls", samples["polls"]);
            section.Add("DescribeSnapshots calls per 10 s of waiting", "calls", samples["polls per 10 s"], Target.AtMost(1, "call"), "0.00");
            section.Notes.Add(
                $"The EC2 double completes each snapshot {string.Join(", ", completions.Select(c => c.ToString(CultureInfo.InvariantCulture)))} s after it started "
                + "(spread over one poll interval); the tool polls with its default snapshot_poll_seconds (10).");
        }

        section.Notes.Add("Breakdown from the run's own `timings` log line; own overhead = down − create − wait − start "
            + "(journal writes with fsync, log lines, building the request). 'Unavailable' adds the stop to 'down'.");
        return section;
    }
}
