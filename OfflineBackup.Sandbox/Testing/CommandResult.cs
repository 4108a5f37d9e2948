namespace OfflineBackup.Sandbox.Testing;

/// <summary>The outcome of one program run to its end: exit code and what it printed.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}
