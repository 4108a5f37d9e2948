using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>service:</c> section: how MySQL is stopped and started around the snapshot.</summary>
internal static class ServiceSectionReader
{
    private const int OneDay = 86_400;
    private const string TimeoutForm = "a whole number of seconds from 1 to 86400";

    private static readonly Dictionary<string, RestartAfter> RestartChoices = new(StringComparer.Ordinal)
    {
        ["completed"] = RestartAfter.Completed,
        ["pending"] = RestartAfter.Pending,
    };

    public static ServiceSettings Read(ConfigMapping service) => new ServiceSettings(
        StopCommand: service.Text("stop_command", "systemctl stop mysql", "a command line that stops MySQL"),
        StartCommand: service.Text("start_command", "systemctl start mysql", "a command line that starts MySQL"),
        StopTimeout: TimeSpan.FromSeconds(service.Int("stop_timeout_seconds", 600, 1, OneDay, TimeoutForm)),
        StartTimeout: TimeSpan.FromSeconds(service.Int("start_timeout_seconds", 600, 1, OneDay, TimeoutForm)),
        PidFile: service.OptionalPath("pid_file", "the path of mysqld's pid file, e.g. /run/mysqld/mysqld.pid"),
        RestartAfter: service.Choice("restart_after", RestartAfter.Completed, RestartChoices),
        SnapshotWaitTimeout: TimeSpan.FromSeconds(service.Int("snapshot_wait_timeout_seconds", 3600, 1, 7 * OneDay,
            "a whole number of seconds from 1 to 604800")),
        SnapshotPollInterval: TimeSpan.FromSeconds(service.Int("snapshot_poll_seconds", 10, 1, 600,
            "a whole number of seconds from 1 to 600")))
    {
        MaxDown = TimeSpan.FromSeconds(service.Int("max_down_seconds", (int)ServiceSettings.DefaultMaxDown.TotalSeconds, 1, OneDay, TimeoutForm)),
        PreFlush = service.Bool("preflush", true),
        PreFlushTimeout = TimeSpan.FromSeconds(service.Int("preflush_timeout_seconds", 300, 1, OneDay, TimeoutForm)),
    };
}
