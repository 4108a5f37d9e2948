using Microsoft.Extensions.Time.Testing;

namespace OfflineBackup.Tests.Support;

/// <summary>
/// Fake time that moves itself: every wait the code under test starts (Task.Delay, a timeout)
/// jumps the clock to that wait's end at once. Backoffs, polls and deadlines then take no real
/// time, and the clock still reads as if they had passed. For code that waits on its own, with
/// nobody to call <see cref="FakeTimeProvider.Advance"/>; where a test steps time itself, it uses
/// a plain <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class SelfAdvancingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            // After the caller holds the timer (Task.Delay keeps it before it can fire).
            _ = Task.Run(() => Advance(dueTime));
        }

        return timer;
    }
}
