namespace OfflineBackup.Tests.Support;

/// <summary>
/// Waiting for an outside world to reach a state it announces no other way (a snapshot the EC2
/// double lands late, a server going down, a process exiting): polled until a deadline, where the
/// test fails saying what it waited for. A generous deadline costs nothing when the state comes.
/// </summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    public static Task UntilAsync(Func<bool> condition, TimeSpan patience, string what, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), patience, () => what, interval);

    public static Task UntilAsync(Func<bool> condition, TimeSpan patience, Func<string> describe, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), patience, describe, interval);

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what, TimeSpan? interval = null) =>
        UntilAsync(condition, patience, () => what, interval);

    /// <param name="describe">What failed, asked only on a timeout (the state of a child process, say).</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan patience, Func<string> describe, TimeSpan? interval = null)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out after {patience.TotalSeconds:0} s: {describe()}");
            await Task.Delay(interval ?? Interval, CancellationToken.None);
        }
    }
}
