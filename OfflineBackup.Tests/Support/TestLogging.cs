using System.Runtime.CompilerServices;
using NLog;
using NLog.Config;

namespace OfflineBackup.Tests.Support;

/// <summary>
/// Where the tests' log lines go when no test chose a log file: nowhere. Otherwise NLog would load
/// the nlog.config copied beside the test assembly and write /var/log/offline-backup (outside
/// the clone), or keep the log file of a CLI test whose directory is gone and create it again
/// in /tmp. Tests that read the log set their own file (CliHarness, ThrottlingRetryTests).
/// </summary>
internal static class TestLogging
{
    // CA2255 warns libraries off module initializers; this one is in the test assembly and must
    // run before any test's first log line, whichever test that is.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Discard() => LogManager.Configuration = new LoggingConfiguration();
}
