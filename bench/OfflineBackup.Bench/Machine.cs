using System.Globalization;
using System.Runtime.InteropServices;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Bench;

/// <summary>What the figures came from: the machine, the versions, and how busy it was.</summary>
public static class Machine
{
    public static async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKiB = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var mariadb = await ChildProcess.RunAsync("mariadbd", ["--version"], cancellationToken);
        return string.Join('\n',
            $"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC",
            $"- CPU: {Environment.ProcessorCount} × {cpu}",
            string.Create(CultureInfo.InvariantCulture, $"- memory: {long.Parse(memKiB, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB"),
            $"- OS: {RuntimeInformation.OSDescription}",
            $"- .NET: {RuntimeInformation.FrameworkDescription}",
            $"- MariaDB: {mariadb.StandardOutput.Trim()}");
    }

    /// <summary>The 1-minute load average: another job on the machine shows here, and in the spread of the figures.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
