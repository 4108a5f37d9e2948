using OfflineBackup.Errors;

namespace OfflineBackup.Aws;

/// <summary>
/// Polls DescribeVolumes until a volume reaches a state, with a deadline on the injected clock:
/// every wait of restore and drill is bounded, and a timeout names what did not happen.
/// </summary>
public sealed class VolumeWaiter(IVolumeStore store, TimeProvider clock, TimeSpan pollInterval)
{
    public async Task<EbsVolume> WaitAsync(
        string volumeId, Func<EbsVolume, bool> reached, string what, TimeSpan timeout, int exitCode, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            var volume = await store.FindVolumeAsync(volumeId, cancellationToken).ConfigureAwait(false)
                ?? throw new BackupException(exitCode, $"volume {volumeId} disappeared while waiting until it is {what}");
            if (reached(volume))
            {
                return volume;
            }

            if (volume.State == "error")
            {
                throw new BackupException(exitCode, $"volume {volumeId} went into state error while waiting until it is {what}");
            }

            if (clock.GetUtcNow() >= deadline)
            {
                throw new BackupException(exitCode,
                    $"volume {volumeId} was not {what} after {DurationText(timeout)} (state {volume.State}{AttachmentText(volume)})");
            }

            await Task.Delay(pollInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<EbsVolume> AvailableAsync(string volumeId, TimeSpan timeout, int exitCode, CancellationToken cancellationToken) =>
        WaitAsync(volumeId, v => v.State == "available" && v.Attachment is null, "available", timeout, exitCode, cancellationToken);

    public Task<EbsVolume> AttachedAsync(string volumeId, TimeSpan timeout, int exitCode, CancellationToken cancellationToken) =>
        WaitAsync(volumeId, v => v.Attachment?.State == "attached", "attached", timeout, exitCode, cancellationToken);

    private static string AttachmentText(EbsVolume volume) =>
        volume.Attachment is { } a ? $", attachment {a.State} to {a.InstanceId} as {a.Device}" : "";

    private static string DurationText(TimeSpan span) => span.TotalSeconds < 120
        ? $"{span.TotalSeconds:0} s"
        : $"{span.TotalMinutes:0} min";
}
