using System.Globalization;
using OfflineBackup.Configuration;
using OfflineBackup.MySql;
using OfflineBackup.Platform;

namespace OfflineBackup.Service;

/// <summary>
/// The real <see cref="IMySqlService"/>: the configured shell commands (default systemctl), a
/// TCP probe of the port and, where configured, the pid file, for "down"; a real query for "up".
/// </summary>
public sealed class SystemMySqlService(
    ServiceSettings service,
    MySqlSettings mysql,
    IReplicaServer server,
    TimeProvider clock) : IMySqlService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public Task<ServiceTransition> StopAsync(CancellationToken cancellationToken) => StopAsync(_ => { }, cancellationToken);

    public async Task<ServiceTransition> StopAsync(Action<int> groupStarted, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var pid = ReadPid();
        var outcome = await ShellCommand.RunAsync(service.StopCommand, service.StopTimeout, clock, cancellationToken, groupStarted);
        if (!outcome.Succeeded)
        {
            return new ServiceTransition(false, outcome, clock.GetElapsedTime(started), outcome.Describe());
        }

        while (clock.GetElapsedTime(started) < service.StopTimeout)
        {
            var listening = await TcpProbe.AcceptsConnectionsAsync(mysql.Host, mysql.Port, cancellationToken);
            var alive = pid is { } p && LibC.ProcessExists(p);
            if (!listening && !alive)
            {
                return new ServiceTransition(true, outcome, clock.GetElapsedTime(started), $"down after {clock.GetElapsedTime(started).TotalSeconds:0.0}s");
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }

        return new ServiceTransition(
            false,
            outcome,
            clock.GetElapsedTime(started),
            $"`{service.StopCommand}` returned but MySQL still {(pid is { } q && LibC.ProcessExists(q) ? $"runs (PID {q})" : $"accepts connections on {mysql.Host}:{mysql.Port}")} after {service.StopTimeout.TotalSeconds:0}s");
    }

    public Task<ServiceTransition> StartAsync(CancellationToken cancellationToken) => StartAsync(_ => { }, cancellationToken);

    public async Task<ServiceTransition> StartAsync(Action<int> groupStarted, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var outcome = await ShellCommand.RunAsync(service.StartCommand, service.StartTimeout, clock, cancellationToken, groupStarted);
        if (!outcome.Succeeded)
        {
            return new ServiceTransition(false, outcome, clock.GetElapsedTime(started), outcome.Describe());
        }

        while (clock.GetElapsedTime(started) < service.StartTimeout)
        {
            if (await server.IsUpAsync(cancellationToken))
            {
                return new ServiceTransition(true, outcome, clock.GetElapsedTime(started), $"up after {clock.GetElapsedTime(started).TotalSeconds:0.0}s");
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }

        return new ServiceTransition(
            false, outcome, clock.GetElapsedTime(started),
            $"`{service.StartCommand}` returned but MySQL did not answer on {mysql.Host}:{mysql.Port} within {service.StartTimeout.TotalSeconds:0}s");
    }

    public Task<bool> IsUpAsync(CancellationToken cancellationToken) => server.IsUpAsync(cancellationToken);

    private int? ReadPid()
    {
        if (service.PidFile is null || !File.Exists(service.PidFile))
        {
            return null;
        }

        return int.TryParse(File.ReadAllText(service.PidFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
