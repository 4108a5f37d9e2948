// The bench drives the sandbox (MariaDB binaries, POSIX process control) and /usr/bin/time: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
