// The sandbox runs MariaDB binaries and POSIX process control: Linux only, like the tool.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
