using System.Diagnostics;
using System.Globalization;

namespace OfflineBackup.Tests.Support;

/// <summary>
/// A real, small tmpfs mounted under /tmp for one test: a place that can be made full or
/// read-only for real. Unmounted and removed when disposed; one left by a test process that
/// died is reclaimed by the next one, by its owner file (PID and start time) beside the mount.
/// </summary>
internal sealed class SmallFilesystem : IDisposable
{
    private const string Prefix = "ob-fs-";

    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    private string OwnerFile => Path + ".owner";

    public static SmallFilesystem Mount(int sizeKiB = 256)
    {
        ReclaimAbandoned();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        var pid = Environment.ProcessId;
        System.IO.File.WriteAllText(path + ".owner", string.Create(CultureInfo.InvariantCulture, $"{pid} {SandboxProcesses.StartTime(pid)}"));
        var filesystem = new SmallFilesystem(path);
        Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={sizeKiB}k,mode=0755"), "offline-backup-test", path);
        return filesystem;
    }

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    /// <summary>Shell text that makes this filesystem read-only, for a stop command to run.</summary>
    public string ReadOnlyCommand => $"mount -o remount,ro {Path}";

    /// <summary>Shell text that fills this filesystem to the last byte, for a stop command to run.</summary>
    public string FillCommand => $"dd if=/dev/zero of={File("fill")} bs=4k >/dev/null 2>&1; true";

    public void Fill() => Run("/bin/sh", "-c", FillCommand);

    public void Unfill() => System.IO.File.Delete(File("fill"));

    public void Dispose()
    {
        Unmount(Path);
        System.IO.File.Delete(OwnerFile);
    }

    private static void Unmount(string path)
    {
        // Lazy, so a process still holding a file there cannot keep the mount alive.
        Run("umount", ["-l", path], tolerateFailure: true);
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    private static void ReclaimAbandoned()
    {
        foreach (var owner in Directory.EnumerateFiles(System.IO.Path.GetTempPath(), Prefix + "*.owner"))
        {
            var parts = System.IO.File.ReadAllText(owner).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && SandboxProcesses.IsAlive(pid)
                && SandboxProcesses.StartTime(pid)?.ToString(CultureInfo.InvariantCulture) == parts[1])
            {
                continue;
            }

            Unmount(owner[..^".owner".Length]);
            System.IO.File.Delete(owner);
        }
    }

    private static void Run(string program, params string[] args) => Run(program, args, tolerateFailure: false);

    private static void Run(string program, string[] args, bool tolerateFailure)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !tolerateFailure)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {error}");
        }
    }
}
