using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Errors;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// CreateSnapshot, made safe to retry. EBS refuses snapshots of a volume that come too fast
/// (SnapshotCreationPerVolumeRateExceeded) and throttles accounts (RequestLimitExceeded): those
/// are retried with backoff. CreateSnapshot has no idempotency token and the SDK never re-sends
/// it, so after any failure that may have reached EC2 (a 5xx, a reset, no answer) the snapshot
/// is looked up by this run's run-id tag before anything is sent again, and again after each later
/// failure; if that lookup cannot be made, nothing is sent again. One run never makes two.
/// </summary>
public sealed class SnapshotCreator(ISnapshotStore store, TimeProvider clock, IReadOnlyList<TimeSpan> backoff)
{
    /// <summary>Where snapshots are made; the run looks there once more for one whose answer was lost.</summary>
    public ISnapshotStore Store => store;

    public static readonly IReadOnlyList<TimeSpan> DefaultBackoff =
        [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)];

    private const int LookupAttempts = 3;

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>What <see cref="CreateAsync"/> sends, for the dry run: the description and every tag.</summary>
    public static PlannedStep Describe(NewSnapshot request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new PlannedStep(
            $"CreateSnapshot of {request.VolumeId}: \"{request.Description}\"",
            request.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"tag {t.Key} = {t.Value}").ToList());
    }

    /// <summary>Creates the snapshot; an adopted one (after an ambiguous failure) adds a warning to <paramref name="notices"/>.</summary>
    public async Task<Snapshot> CreateAsync(NewSnapshot request, string runId, List<Notice> notices, CancellationToken cancellationToken)
    {
        var mayHaveActed = false;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var snapshot = await store.CreateSnapshotAsync(request, cancellationToken);
                Log.WithProperty("step", "snapshot").WithProperty("snapshot", snapshot.Id)
                    .Info("created {snapshot} of {volume}", snapshot.Id, request.VolumeId);
                return snapshot;
            }
            catch (Ec2OperationException e) when (!cancellationToken.IsCancellationRequested && IsRetryable(e))
            {
                // Once an attempt may have acted, every later failure is looked up first: EBS's
                // per-volume rate limit right after a lost answer is its way of saying a snapshot
                // was just made, even when the first lookup did not show it yet.
                mayHaveActed |= e.IsAmbiguous;
                if (mayHaveActed && await LookUpAsync(request.VolumeId, runId, e, cancellationToken) is { } made)
                {
                    Log.WithProperty("step", "snapshot").WithProperty("snapshot", made.Id)
                        .Warn("CreateSnapshot failed ambiguously ({code}) but {snapshot} of this run exists: adopting it", Code(e), made.Id);
                    notices.Add(Notice.Warning($"CreateSnapshot failed ambiguously ({Code(e)}) but {made.Id} of this run exists: adopting it"));
                    return made;
                }

                if (attempt >= backoff.Count)
                {
                    throw;
                }

                Log.WithProperty("step", "snapshot").Info(
                    "CreateSnapshot attempt {attempt} failed ({code}); retrying in {delay}", attempt + 1, Code(e), Durations.Human(backoff[attempt]));
                await Task.Delay(backoff[attempt], clock, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The snapshot this run may have made, retrying the lookup itself. When it cannot be made,
    /// sending CreateSnapshot again could make a second snapshot: give up instead, saying so.
    /// </summary>
    private async Task<Snapshot?> LookUpAsync(string volumeId, string runId, Ec2OperationException createFailure, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.FindByRunIdAsync(volumeId, runId, cancellationToken);
            }
            catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= LookupAttempts || e.ExitCode == ExitCodes.PermissionDenied)
                {
                    throw new BackupException(
                        createFailure.ExitCode,
                        $"{createFailure.Message}; the snapshot could not be looked up by run id either ({e.Message}), "
                        + $"so no second CreateSnapshot was sent: a snapshot of run {runId} may exist",
                        createFailure);
                }

                Log.WithProperty("step", "snapshot").Info("looking up run {runId} failed ({error}); trying again", runId, e.Message);
                await Task.Delay(backoff.Count == 0 ? TimeSpan.Zero : backoff[Math.Min(attempt - 1, backoff.Count - 1)], clock, cancellationToken);
            }
        }
    }

    private static string Code(Ec2OperationException e) => e.ErrorCode ?? (e.IsUnreachable ? "no answer" : "no error code");

    private static bool IsRetryable(Ec2OperationException e) =>
        e.IsPerVolumeRateExceeded || e.IsAmbiguous || e.ErrorCode == "RequestLimitExceeded";
}
