using OfflineBackup.Platform;

namespace OfflineBackup.Sandbox.Testing;

/// <summary>
/// The POSIX signal numbers the tests and the sandbox send (Linux, x86-64 and arm64); those the
/// tool itself sends are <see cref="LibC"/>'s, so the two cannot differ.
/// </summary>
public static class Signals
{
    public const int Hup = 1;
    public const int Int = 2;
    public const int Kill = LibC.SigKill;
    public const int Term = LibC.SigTerm;
    public const int Cont = 18;
    public const int Stop = 19;
}
