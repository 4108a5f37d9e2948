// The tool is for Linux hosts: flock(2), POSIX signals, systemctl and unix file modes are part
// of what it does, not details to abstract away.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
