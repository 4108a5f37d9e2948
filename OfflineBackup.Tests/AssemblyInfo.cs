// The MariaDB servers, the EC2 double and NLog's process-wide configuration are shared by the
// tests, and the machine has two cores: parallel test classes would fight over them and gain
// nothing. Within the run, tests are independent of order.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Like the tool, the tests run on Linux only (flock, signals, MariaDB binaries, file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
