using System.Globalization;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// Service commands for the tool's config that behave like systemd's: <see cref="Start"/> is
/// success and does nothing while the server runs, waits out a server that is still shutting
/// down, and only then starts a new one. The tool runs its start command whenever it issued a
/// stop, so a start command must be safe on a running server.
/// </summary>
public static class ServiceCommands
{
    public static string Start(MariaDbServer server) =>
        $"pidfile={server.PidFile}; "
        + "if [ -f \"$pidfile\" ]; then pid=$(cat \"$pidfile\"); "
        + "while kill -0 \"$pid\" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' /proc/\"$pid\"/status 2>/dev/null; do "
        + $"mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P{server.Port.ToString(CultureInfo.InvariantCulture)} -uping --connect-timeout=2 ping >/dev/null 2>&1 && exit 0; "
        + "sleep 0.1; done; fi; "
        + server.StartCommand;

    public static string Stop(MariaDbServer server) => server.StopCommand;
}
