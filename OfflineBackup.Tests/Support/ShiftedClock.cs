namespace OfflineBackup.Tests.Support;

/// <summary>
/// Real time, read as if it were <paramref name="shift"/> later: waits and timers stay real. For
/// whole runs against real servers that must find the last snapshot old enough.
/// </summary>
internal sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}
