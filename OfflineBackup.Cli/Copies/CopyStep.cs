using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Configuration;
using OfflineBackup.Pipeline;
using OfflineBackup.Pipeline.Steps;
using OfflineBackup.Retention;
using OfflineBackup.Text;

namespace OfflineBackup.Copies;

/// <summary>
/// Keeps the copy region in step: every completed snapshot of ours that the copies' rules would
/// keep gets one copy (looked up by its source-snapshot-id tag first, so a later run never makes
/// a second), then the copies' own retention runs with the same planner. Runs after the daily
/// backup and on the hourly not-due runs, so a snapshot that completed after its run ended is
/// copied an hour later. Never throws for EC2 failures: they come back in the result.
/// </summary>
public sealed class CopyStep(ISnapshotStore source, ISnapshotCopier target, TimeProvider clock, IReadOnlyList<TimeSpan>? throttleBackoff = null)
{
    /// <summary>EC2 allows 20 concurrent copies into a region; a handful per run catches up a backlog without hogging them.</summary>
    public const int MaxCopiesPerRun = 5;

    /// <summary>A missing copy is a warning while its source is younger than this, then an exit 13 problem.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger().WithProperty("step", "copy");

    public async Task<CopyResult> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var copy = settings.Copy ?? throw new InvalidOperationException("no copy: section");
        var sourceRegion = settings.Aws.Region ?? throw new InvalidOperationException("copy: needs aws.region (the loader ensures it)");
        var volume = settings.Instance.VolumeId;
        var now = clock.GetUtcNow();
        IReadOnlyList<Snapshot> sources;
        IReadOnlyList<Snapshot> copies;
        try
        {
            sources = await source.ListVolumeSnapshotsAsync(volume, cancellationToken);
            copies = await target.WithLocksAsync(await target.ListCopiesAsync(volume, cancellationToken), cancellationToken);
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            var code = e.ExitCode == ExitCodes.PermissionDenied ? ExitCodes.PermissionDenied : ExitCodes.CopyIncomplete;
            Log.Error("cannot list snapshots or copies: {message}", e.Message);
            return CopyResult.SweepFailed(copy.Region, code, $"copies in {copy.Region}: nothing copied or deleted: {e.Message}");
        }

        var policy = CopyPolicy.For(settings);
        var byCopy = copies.Where(c => c.Tag(ToolTags.SourceSnapshot) is not null)
            .ToLookup(c => c.Tag(ToolTags.SourceSnapshot)!, StringComparer.Ordinal);
        var started = new List<(string, string)>();
        var pending = new List<(string, string)>();
        var completed = 0;
        var late = new List<string>();
        var young = new List<string>();
        var denied = false;
        foreach (var wanted in Wanted(sources, settings, policy, now))
        {
            var existing = byCopy[wanted.Id].ToList();
            if (existing.Any(c => c.State == SnapshotState.Completed))
            {
                completed++;
                continue;
            }

            string missing;
            var failed = false;
            if (existing.FirstOrDefault(c => c.State == SnapshotState.Pending) is { } inFlight)
            {
                pending.Add((wanted.Id, inFlight.Id));
                missing = $"copy {inFlight.Id} of {wanted.Id} is still pending ({inFlight.Progress})";
            }
            else if (started.Count >= MaxCopiesPerRun)
            {
                missing = $"{wanted.Id} not copied yet ({MaxCopiesPerRun} copies per run; a later run copies it)";
            }
            else
            {
                // Only copies in error (or none) exist: one in error is kept for inspection and a new one is made.
                var before = existing.Select(c => $"earlier copy {c.Id} is in state {c.State.ToString().ToLowerInvariant()}; ").FirstOrDefault() ?? string.Empty;
                try
                {
                    var id = await target.CopySnapshotAsync(CopyPolicy.Request(wanted, sourceRegion, copy), cancellationToken);
                    started.Add((wanted.Id, id));
                    Log.WithProperty("snapshot", wanted.Id).Info("copying {snapshot} to {region}: {copy}", wanted.Id, copy.Region, id);
                    continue;
                }
                catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failed = true;
                    var isDenied = e.ExitCode == ExitCodes.PermissionDenied;
                    denied |= isDenied;
                    Log.WithProperty("snapshot", wanted.Id).Error("cannot copy {snapshot} to {region}: {message}", wanted.Id, copy.Region, e.Message);
                    missing = $"{before}{wanted.Id} not copied to {copy.Region}: {e.Message}";
                    if (isDenied)
                    {
                        late.Add(missing);
                        continue;
                    }
                }
            }

            // In flight or queued is normal for a day; a failure is worth a word at once, and
            // anything still missing after a day is a problem.
            var age = now - wanted.StartTime;
            var line = $"{missing} (snapshot {Durations.Exact(age)} old)";
            if (age >= Grace)
            {
                late.Add(line);
            }
            else if (failed)
            {
                young.Add(line);
            }
        }

        var retention = await new RetentionStep(target, policy, clock, throttleBackoff)
            .ExecuteAsync(RetentionPlanner.Plan(copies, policy, now), cancellationToken);
        var exitCode = denied || retention.ExitCode == ExitCodes.PermissionDenied ? ExitCodes.PermissionDenied
            : late.Count > 0 ? ExitCodes.CopyIncomplete
            : retention.ExitCode;
        var result = new CopyResult(copy.Region, started, pending, completed, retention)
        {
            ExitCode = exitCode,
            Problems = [.. late, .. retention.Problems.Select(p => $"copy retention in {copy.Region}: {p}")],
            Warnings = [.. young, .. retention.Warnings],
        };
        Log.Info("{summary}", result.Summary());
        return result;
    }

    /// <summary>What the copy pass after a good backup does, for <c>run --dry-run</c>.</summary>
    public static PlannedStep Describe(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var copy = settings.Copy ?? throw new InvalidOperationException("no copy: section");
        var key = copy.KmsKeyId is null ? string.Empty : $" with KMS key {copy.KmsKeyId}";
        return new PlannedStep(
            $"copy the new snapshot into {copy.Region}{key}",
            [
                $"and any snapshot of ours the copies' rules keep that has no copy there yet, at most {MaxCopiesPerRun} copies started per run",
                $"then the copies' own retention in {copy.Region}",
            ]);
    }

    /// <summary>The copies and what their retention would do now, for <c>list</c>. EC2 failures throw (exit 11 or 8).</summary>
    public async Task<RetentionPlan> PlanCopiesAsync(Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var copies = await target.WithLocksAsync(await target.ListCopiesAsync(settings.Instance.VolumeId, cancellationToken), cancellationToken);
        return RetentionPlanner.Plan(copies, CopyPolicy.For(settings), clock.GetUtcNow());
    }

    /// <summary>
    /// <c>check</c>'s look at the copy region: a DryRun CopySnapshot of the newest completed
    /// snapshot of ours, with the configured KMS key, exactly as a run would ask. Only <c>check</c>
    /// runs it: a copy problem must never keep <c>run</c> from taking the backup.
    /// </summary>
    public async Task<GuardResult> ProbeAsync(Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        const string name = "copy";
        var copy = settings.Copy ?? throw new InvalidOperationException("no copy: section");
        var sourceRegion = settings.Aws.Region ?? throw new InvalidOperationException("copy: needs aws.region (the loader ensures it)");
        var key = copy.KmsKeyId is null ? string.Empty : $" with KMS key {copy.KmsKeyId}";
        try
        {
            var policy = RetentionPolicy.From(settings) with { AdoptLegacy = false };
            var newest = (await source.ListVolumeSnapshotsAsync(settings.Instance.VolumeId, cancellationToken))
                .Where(s => s.State == SnapshotState.Completed && OwnershipClassifier.Classify(s, policy).Ownership == Ownership.Ours)
                .MaxBy(s => s.StartTime);
            if (newest is null)
            {
                return GuardResult.Pass(name, $"CopySnapshot into {copy.Region} not probed: no completed snapshot of ours yet");
            }

            var probe = await target.ProbeCopySnapshotAsync(CopyPolicy.Request(newest, sourceRegion, copy), cancellationToken);
            return probe.Outcome == ProbeOutcome.Allowed
                ? GuardResult.Pass(name, $"ec2:CopySnapshot of {newest.Id} into {copy.Region}{key} allowed")
                : GuardResult.Refuse(name, ExitCodes.PermissionDenied, $"{probe.Detail} (copying into {copy.Region}{key})");
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            var code = e.ExitCode == ExitCodes.PermissionDenied ? ExitCodes.PermissionDenied : ExitCodes.CopyIncomplete;
            return GuardResult.Refuse(name, code, $"CopySnapshot into {copy.Region}{key} would fail: {e.Message}");
        }
    }

    /// <summary>Completed snapshots of ours (not adopted legacy ones) that the copies' rules would keep, newest first.</summary>
    private static IEnumerable<Snapshot> Wanted(IReadOnlyList<Snapshot> sources, Settings settings, RetentionPolicy copyPolicy, DateTimeOffset now)
    {
        var sourcePolicy = RetentionPolicy.From(settings) with { AdoptLegacy = false };
        var ours = sources
            .Where(s => s.State == SnapshotState.Completed && OwnershipClassifier.Classify(s, sourcePolicy).Ownership == Ownership.Ours)
            .ToList();
        var asIfCopies = RetentionPlanner.Plan(ours, copyPolicy with { ByTagsOnly = false }, now);
        return asIfCopies.Decisions
            .Where(d => d.ReasonCode is not (RetentionReason.Expired or RetentionReason.OverMaxDeletes))
            .Select(d => d.Snapshot)
            .Reverse();
    }
}
