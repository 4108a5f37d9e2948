namespace OfflineBackup.Sandbox.Testing;

/// <summary>The POSIX signal numbers the tests and the sandbox send (Linux, x86-64 and arm64).</summary>
public static class Signals
{
    public const int Hup = 1;
    public const int Int = 2;
    public const int Kill = 9;
    public const int Term = 15;
    public const int Cont = 18;
    public const int Stop = 19;
}
