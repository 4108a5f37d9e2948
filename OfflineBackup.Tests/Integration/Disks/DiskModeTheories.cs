namespace OfflineBackup.Tests.Integration.Disks;

/// <summary>The disk store's two modes, for tests that must hold in both: real loop devices and mounts (as root), and plain directories (the fallback).</summary>
public static class DiskModeTheories
{
    public static TheoryData<DiskModeRequest> Both => new() { DiskModeRequest.Loop, DiskModeRequest.Directory };
}
