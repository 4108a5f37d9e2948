using System.CommandLine;

namespace OfflineBackup.Commands;

/// <summary>Options shared by several commands; declared once so their spelling never drifts.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Config = new("--config", "-c")
    {
        Description = "Configuration file (default: $OFFLINE_BACKUP_CONFIG, else /etc/offline-backup/config.yml)",
        HelpName = "path",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON document instead of text",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Also print what a quiet cron run keeps to the log",
    };

    public static readonly Option<bool> DryRun = new("--dry-run")
    {
        Description = "Print the plan instead of carrying it out; changes nothing (the command's help says what it still checks)",
    };
}
