using OfflineBackup.Errors;

namespace OfflineBackup.Restore;

/// <summary>
/// Finds an attached EBS volume on this host. On Nitro the NVMe controller's serial is the volume
/// id without its dash, and udev links it as nvme-Amazon_Elastic_Block_Store_volXXXX in
/// /dev/disk/by-id (the device_directory setting); the name given to AttachVolume means nothing
/// there. Waits with a deadline on the injected clock.
/// </summary>
public sealed class DeviceLocator(string directory, TimeProvider clock, TimeSpan pollInterval)
{
    public const string NitroPrefix = "nvme-Amazon_Elastic_Block_Store_";

    public string LinkOf(string volumeId) => Path.Combine(directory, NitroPrefix + volumeId.Replace("-", "", StringComparison.Ordinal));

    /// <summary>The link and the device it resolves to, once the link exists.</summary>
    public async Task<(string Link, string Device)> WaitAsync(string volumeId, TimeSpan timeout, int exitCode, CancellationToken cancellationToken)
    {
        var link = LinkOf(volumeId);
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            if (Resolve(link) is { } device)
            {
                return (link, device);
            }

            if (clock.GetUtcNow() >= deadline)
            {
                throw new BackupException(exitCode,
                    $"volume {volumeId} is attached but no device appeared as {link} within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(pollInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    public static string? Resolve(string link)
    {
        var info = new FileInfo(link);
        if (info.LinkTarget is null)
        {
            return info.Exists ? link : null;
        }

        // A directory stands in for a device only in the EC2 double's directory mode.
        var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        return target is not null && (File.Exists(target) || Directory.Exists(target)) ? target : null;
    }
}
