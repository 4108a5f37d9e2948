// Test classes run in parallel, up to eight tests at once (xunit.runner.json). What truly shares
// process or machine state says so with a collection: a MariaDB pair (MariaDbCollection and its
// three siblings, each with its own pair: their tests stop and break it in turn) and the tests
// that replace NLog's process-wide configuration (GlobalLoggingCollection, run alone).
// Every CLI invocation writes its own log file (a scope property), so CLI tests need no more.

// Like the tool, the tests run on Linux only (flock, signals, MariaDB binaries, file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
