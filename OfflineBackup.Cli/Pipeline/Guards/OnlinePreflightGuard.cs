using OfflineBackup.MySql;
using OfflineBackup.Pipeline.Steps;

namespace OfflineBackup.Pipeline.Guards;

/// <summary>
/// consistency.mode: online only: <see cref="OnlinePreflight"/> on this host, so <c>check</c>
/// shows it and <c>run</c> refuses before replication is stopped or anything blocked or frozen.
/// </summary>
public sealed class OnlinePreflightGuard(IOnlineReplica online, IFilesystemFreezer? freezer, HostDevices devices) : IGuard
{
    public string Name => OnlinePreflight.GuardName;

    public async Task<GuardResult> EvaluateAsync(GuardContext context, CancellationToken cancellationToken)
    {
        var layout = await online.ReadLayoutAsync(cancellationToken);
        var toolPaths = OnlinePreflight.ToolPaths(context.Settings);
        return OnlinePreflight.Evaluate(layout, context.Settings, devices, freezer is null ? null : path => freezer.Refusal(path, toolPaths));
    }
}
