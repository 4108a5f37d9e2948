using System.Runtime.CompilerServices;
using OfflineBackup.Logging;

namespace OfflineBackup.Tests.Support;

/// <summary>
/// Where the tests' log events go when they are logged outside a CLI invocation (which has its
/// own file): nowhere. Otherwise they would go to nlog.config's /var/log/offline-backup, outside
/// the clone. Loaded before any test logs, so NLog never loads nlog.config on its own either.
/// </summary>
internal static class TestLogging
{
    // CA2255 warns libraries off module initializers; this one is in the test assembly and must
    // run before any test's first log line, whichever test that is.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Initialize()
    {
        LogSetup.DefaultLogFileOverride = "/dev/null";
        LogSetup.EnsureConfigured();
    }
}
