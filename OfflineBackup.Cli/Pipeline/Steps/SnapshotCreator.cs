using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Text;

namespace OfflineBackup.Pipeline.Steps;

/// <summary>
/// CreateSnapshot, made safe to retry. EBS refuses snapshots of a volume that come too fast
/// (SnapshotCreationPerVolumeRateExceeded) and throttles accounts (RequestLimitExceeded): those
/// are retried with backoff. CreateSnapshot has no idempotency token, so after an ambiguous
/// failure (a 5xx or a lost answer: the request may have been carried out) the snapshot is
/// looked up by this run's run-id tag before anything is sent again. One run never makes two.
/// </summary>
public sealed class SnapshotCreator(ISnapshotStore store, TimeProvider clock, IReadOnlyList<TimeSpan> backoff)
{
    public static readonly IReadOnlyList<TimeSpan> DefaultBackoff =
        [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)];

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
                if (e.IsAmbiguous && await store.FindByRunIdAsync(request.VolumeId, runId, cancellationToken) is { } made)
                {
                    Log.WithProperty("step", "snapshot").WithProperty("snapshot", made.Id)
                        .Warn("CreateSnapshot failed ambiguously ({code}) but {snapshot} of this run exists: adopting it", e.ErrorCode ?? "no answer", made.Id);
                    notices.Add(Notice.Warning($"CreateSnapshot failed ambiguously ({e.ErrorCode ?? "no answer"}) but {made.Id} of this run exists: adopting it"));
                    return made;
                }

                if (attempt >= backoff.Count)
                {
                    throw;
                }

                Log.WithProperty("step", "snapshot").Info(
                    "CreateSnapshot attempt {attempt} failed ({code}); retrying in {delay}", attempt + 1, e.ErrorCode ?? "no answer", Durations.Human(backoff[attempt]));
                await Task.Delay(backoff[attempt], clock, cancellationToken);
            }
        }
    }

    private static bool IsRetryable(Ec2OperationException e) =>
        e.IsPerVolumeRateExceeded || e.IsAmbiguous || e.ErrorCode == "RequestLimitExceeded";
}
