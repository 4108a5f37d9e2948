using OfflineBackup.Service;

namespace OfflineBackup.Tests.Support;

/// <summary>A hand-written MySQL service for the run's unit tests (the real one is tested against MariaDB).</summary>
internal sealed class FakeMySqlService : IMySqlService
{
    public bool Up { get; set; } = true;

    public bool StopReaches { get; set; } = true;

    public int StartFailuresLeft { get; set; }

    public List<string> Calls { get; } = [];

    public Func<CancellationToken, Task>? DuringStop { get; set; }

    /// <summary>Runs as the start command begins: a test breaks the world at that moment.</summary>
    public Action? BeforeStart { get; set; }

    public async Task<ServiceTransition> StopAsync(CancellationToken cancellationToken)
    {
        Calls.Add("stop");
        if (DuringStop is not null)
        {
            await DuringStop(cancellationToken);
        }

        Up = !StopReaches;
        return Transition(StopReaches, "stop-cmd");
    }

    public Task<ServiceTransition> StartAsync(CancellationToken cancellationToken)
    {
        Calls.Add("start");
        BeforeStart?.Invoke();
        if (StartFailuresLeft > 0)
        {
            StartFailuresLeft--;
            return Task.FromResult(Transition(false, "start-cmd"));
        }

        Up = true;
        return Task.FromResult(Transition(true, "start-cmd"));
    }

    public Task<bool> IsUpAsync(CancellationToken cancellationToken) => Task.FromResult(Up);

    private static ServiceTransition Transition(bool reached, string command) => new(
        reached,
        new CommandOutcome(command, reached ? 0 : 1, reached ? string.Empty : "Job for mysql.service failed", TimeSpan.FromMilliseconds(5)),
        TimeSpan.FromMilliseconds(5),
        reached ? "ok" : $"`{command}` exited 1: Job for mysql.service failed");
}
