namespace OfflineBackup.Errors;

/// <summary>
/// An anticipated failure: its message is written for a DBA and its exit code is one of
/// <see cref="ExitCodes"/>. Caught in one place (CommandSession) and printed without a stack trace;
/// anything else that escapes is a bug and exits 1.
/// </summary>
public class BackupException(int exitCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Bad arguments or configuration: exit 2, nothing touched.</summary>
public sealed class ConfigurationException(string message)
    : BackupException(ExitCodes.BadConfiguration, message);
