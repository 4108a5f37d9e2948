using System.CommandLine;
using System.Text;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.Logging;

namespace OfflineBackup.Commands;

/// <summary>
/// What <c>--help</c> says beyond the option list, so a server holding only the binary can
/// explain itself: each command's changes and limits, and at the root the exit codes, the
/// files and the environment. The man page (packaging/offline-backup.1) says the same at
/// length; ManPageTests keeps the two in step.
/// </summary>
public static class HelpText
{
    public const string Root =
        "offline-backup: consistent EBS snapshots of a MySQL replica's data volume. "
        + "Guards first, then stop MySQL, snapshot, start MySQL, then retention.";

    public const string Run = "Take the daily snapshot if it is due: stop MySQL, snapshot, start MySQL, then retention";

    public const string Check = "Evaluate every guard and say whether a backup would run now; changes nothing";

    public const string Prune = "Delete this tool's snapshots that retention says are expired";

    public const string List = "List the volume's snapshots, newest first, with the retention verdict; changes nothing";

    public const string LogFile = "/var/log/offline-backup/offline-backup.log";

    /// <summary>Every exit code, in the order the help lists them; a test checks it against <see cref="ExitCodes"/>.</summary>
    public static readonly IReadOnlyList<int> ExitCodeOrder =
    [
        ExitCodes.Success, ExitCodes.InternalError, ExitCodes.BadConfiguration, ExitCodes.Locked, ExitCodes.NotDue,
        ExitCodes.SnapshotPending, ExitCodes.ReplicaUnhealthy, ExitCodes.StopTimedOut, ExitCodes.SnapshotFailed,
        ExitCodes.StartFailed, ExitCodes.RetentionIncomplete, ExitCodes.PermissionDenied,
        ExitCodes.InterruptedRunPending, ExitCodes.Ec2Unreachable, ExitCodes.JournalFailed, ExitCodes.DrillFailed,
        ExitCodes.CopyIncomplete, ExitCodes.RestoreFailed, ExitCodes.Interrupted, ExitCodes.Terminated,
    ];

    private static readonly Dictionary<string, string> CommandEpilogs = new(StringComparer.Ordinal)
    {
        ["run"] = """
            What it changes: when a backup is due, stops MySQL (service.stop_command), creates one
            EBS snapshot of instance.volume_id, starts MySQL again (service.start_command), then
            deletes this tool's expired snapshots. It writes the run journal and the log.
            With consistency.mode: online, MySQL keeps running instead: replication is paused and
            commits are blocked (not reads) only around CreateSnapshot, at most max_block_seconds.
            What it never does: stop a writable server or an unhealthy or lagging replica, leave
            MySQL stopped (errors, timeouts and signals all end with MySQL started again), or
            delete a snapshot it did not make.
            A run that is not due prints nothing and exits 4 (--verbose says why): cron's hourly
            job mails nothing. Any other failure goes to stderr with its exit code.
            --dry-run evaluates the guards for real and prints the plan (stop command, volume,
            tags, what retention would delete); it stops, creates and deletes nothing, and exits
            with the code a real run would return.
            """,
        ["check"] = """
            What it changes: nothing. It reads the replica's status and the volume's snapshots,
            looks whether the lock is free without taking it, and never stops MySQL.
            Exit 0 when a backup would be taken now, else the exit code of the first refusal.
            """,
        ["prune"] = """
            What it changes: deletes this tool's snapshots of the volume that are older than
            instance.retention_seconds, at most retention.max_deletes per call, always keeping the
            newest retention.min_keep completed ones. It takes the lock (exit 3 while a run holds
            it) and refuses while an interrupted run awaits recovery (exit 12).
            What it never does: talk to MySQL, create a snapshot, or delete a snapshot it did not
            make (the original script's only with retention.adopt_legacy: true).
            --dry-run prints what would be deleted and why, and asks EC2 with its DryRun flag
            whether each deletion would be allowed; it deletes nothing.
            """,
        ["list"] = """
            What it changes: nothing. It never takes the lock and never talks to MySQL.
            Each snapshot shows whose it is (ours, legacy, foreign) and retention's verdict now.
            --json prints exactly one JSON array on stdout; lock and journal notes go to stderr.
            """,
    };

    private static readonly (string Path, string What)[] Files =
    [
        (ConfigLoader.DefaultPath, $"the configuration: --config, else ${ConfigLoader.PathVariable}, else this file"),
        (LogFile, $"the JSON log: logging.file or ${LogSetup.LogFileVariable} move it"),
        (LogSetup.InstalledConfigPath, "the logging configuration, when no nlog.config sits beside the binary"),
        ("/var/lib/offline-backup/journal.json", "the run journal (state.journal_path): an interrupted run, for the next to recover"),
    ];

    private static readonly (string Name, string What)[] Environment =
    [
        (ConfigLoader.PathVariable, "the configuration file when --config is not given"),
        (LogSetup.LogFileVariable, "the log file, before logging.file"),
        (ConfigLoader.PasswordVariable, "the MySQL password, before any other source"),
        ("AWS_REGION, AWS_PROFILE, ...", "the AWS SDK's default chains (credentials, region)"),
    ];

    /// <summary>The text after the option list of <paramref name="command"/>'s help, or null.</summary>
    public static string? Epilog(Command command) =>
        command is RootCommand ? RootEpilog() : CommandEpilogs.GetValueOrDefault(command.Name);

    private static string RootEpilog()
    {
        var text = new StringBuilder();
        text.AppendLine("Exit codes (the same in every command):");
        foreach (var code in ExitCodeOrder)
        {
            text.AppendLine($"  {code,-5}{ExitCodes.Describe(code)}");
        }

        text.AppendLine("A run that is not due prints nothing and exits 4: the healthy hourly answer.");
        text.AppendLine();
        text.AppendLine("Files:");
        foreach (var (path, what) in Files)
        {
            text.AppendLine($"  {path}");
            text.AppendLine($"      {what}");
        }

        text.AppendLine();
        text.AppendLine("Environment:");
        foreach (var (name, what) in Environment)
        {
            text.AppendLine($"  {name,-30}{what}");
        }

        text.AppendLine();
        text.AppendLine("Full reference: man offline-backup. Every configuration key, with its default,");
        text.AppendLine("is described in the commented example config (the package installs it as");
        text.Append($"{ConfigLoader.DefaultPath}). Each command's --help says what it changes.");
        return text.ToString();
    }
}
