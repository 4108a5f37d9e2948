using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>state:</c> and <c>logging:</c> sections: one path each.</summary>
internal static class StateAndLoggingSectionReaders
{
    public const string DefaultJournalPath = "/var/lib/offline-backup/journal.json";

    public static StateSettings ReadState(ConfigMapping state) => new(
        state.OptionalPath("journal_path", "the path of the run journal, e.g. " + DefaultJournalPath) ?? DefaultJournalPath);

    public static LoggingSettings ReadLogging(ConfigMapping logging) => new(
        logging.OptionalPath("file", "the path of the log file, e.g. /var/log/offline-backup/offline-backup.log"));
}
