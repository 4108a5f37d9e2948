namespace OfflineBackup.Pipeline;

/// <summary>How much a <see cref="Notice"/> needs a person: a warning, or an error that changes the exit code.</summary>
public enum NoticeLevel
{
    Warning,
    Error,
}

/// <summary>
/// Something a step or guard wants a person to read (cron mails stderr). Steps return notices;
/// only the command writes them, as "offline-backup: warning: ..." or "offline-backup: error: ...".
/// The log records the same events for later; it is not a route to the console.
/// </summary>
public sealed record Notice(NoticeLevel Level, string Text)
{
    public static Notice Warning(string text) => new(NoticeLevel.Warning, text);

    public static Notice Error(string text) => new(NoticeLevel.Error, text);

    public override string ToString() => $"{(Level == NoticeLevel.Error ? "error" : "warning")}: {Text}";
}
