namespace OfflineBackup.Service;

/// <summary>
/// Stopping and starting the MySQL server itself (not replication): the operator's commands
/// and the waits that make sure the server is really down or really up.
/// </summary>
public interface IMySqlService
{
    /// <summary>Runs the stop command, then waits until the port is closed and the process gone, all within the stop timeout.</summary>
    Task<ServiceTransition> StopAsync(CancellationToken cancellationToken);

    /// <summary>As <see cref="StopAsync(CancellationToken)"/>, telling <paramref name="groupStarted"/> the stop command's process group once it runs.</summary>
    Task<ServiceTransition> StopAsync(Action<int> groupStarted, CancellationToken cancellationToken) => StopAsync(cancellationToken);

    /// <summary>Runs the start command, then waits until the server answers queries, all within the start timeout.</summary>
    Task<ServiceTransition> StartAsync(CancellationToken cancellationToken);

    /// <summary>As <see cref="StartAsync(CancellationToken)"/>, telling <paramref name="groupStarted"/> the start command's process group once it runs.</summary>
    Task<ServiceTransition> StartAsync(Action<int> groupStarted, CancellationToken cancellationToken) => StartAsync(cancellationToken);

    Task<bool> IsUpAsync(CancellationToken cancellationToken);
}

/// <summary>Whether the server reached the wanted state, and what the command said on the way.</summary>
public sealed record ServiceTransition(bool Reached, CommandOutcome Command, TimeSpan Elapsed, string Detail);
