using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Copies;

namespace OfflineBackup.Commands;

/// <summary>
/// The copy pass of <c>run</c>, wired: a store for the copy region (its own client, signed for
/// that region), then <see cref="CopyStep"/>. After the daily snapshot its warnings and problems
/// are printed with the run's; on the hourly not-due run only problems are (cron mails stderr).
/// </summary>
public static class CopyRun
{
    /// <returns>Null when the config has no copy: section.</returns>
    public static async Task<CopyResult?> RunAsync(CommandSession session, ISnapshotStore source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Settings.Copy is not { } copy)
        {
            return null;
        }

        var services = session.Services;
        var target = services.Adapters.CreateSnapshotStore(new AwsSettings(copy.Region, copy.EndpointUrl)) as ISnapshotCopier
            ?? throw new InvalidOperationException("the snapshot store for the copy region cannot copy");
        return await new CopyStep(source, target, services.Clock, services.RetentionBackoff).RunAsync(session.Settings, cancellationToken);
    }

    public static async Task WriteAsync(CommandSession session, CopyResult copies, bool warnings)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(copies);
        foreach (var warning in warnings ? copies.Warnings : [])
        {
            await session.Error.WriteLineAsync($"offline-backup run: warning: {warning}");
        }

        foreach (var problem in copies.Problems)
        {
            await session.Error.WriteLineAsync($"offline-backup run: {problem}");
        }
    }
}
