using System.Diagnostics;
using System.Text.Json;
using OfflineBackup.Freezing;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Sandbox.Disks;

/// <summary>One loop device and the file behind it, as the kernel reports them in /sys.</summary>
public sealed record LoopDevice(string Device, string DeviceNumber, string BackingDeviceNumber, string BackingFile);

/// <summary>
/// The kernel's view of loop devices and mounts (read from /sys and /proc, never remembered by
/// us, so a process that died mid-way leaves nothing we cannot find), and the commands that
/// change them: losetup, mount and umount.
/// </summary>
public static class KernelDisks
{
    private const string DeletedSuffix = " (deleted)";

    /// <summary>
    /// Every attached loop device, from losetup (which reads the kernel's loop state): with the
    /// device number of the filesystem its backing file lives on, which still names that
    /// filesystem after a lazy unmount made the path meaningless.
    /// </summary>
    public static IReadOnlyList<LoopDevice> LoopDevices()
    {
        var json = RunNowOutput("losetup", "--list", "--json", "--output", "NAME,MAJ:MIN,BACK-MAJ:MIN,BACK-FILE");
        if (string.IsNullOrWhiteSpace(json))
        {
            // No loop device at all (losetup prints nothing), or no losetup: nothing of ours.
            return [];
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("loopdevices").EnumerateArray()
            .Select(d => new LoopDevice(
                Text(d, "name"),
                Text(d, "maj:min"),
                Text(d, "back-maj:min"),
                StripDeleted(Text(d, "back-file"))))
            .ToList();
    }

    /// <summary>Every mount this process can see, in mount order.</summary>
    /// <summary>The mounts as the kernel lists them, read by the tool's own mountinfo parser.</summary>
    public static IReadOnlyList<MountEntry> Mounts() => MountTable.ReadHost().Entries;

    public static LoopDevice? LoopOf(string backingFile) =>
        LoopDevices().FirstOrDefault(l => l.BackingFile == backingFile);

    public static bool IsMounted(string source) => Mounts().Any(m => m.Source == source);

    public static MountEntry? MountAt(string mountPoint) =>
        Mounts().LastOrDefault(m => m.MountPoint == mountPoint.TrimEnd('/'));

    /// <summary>Attaches <paramref name="image"/> to the first free loop device and returns it.</summary>
    public static async Task<string> AttachAsync(string image, CancellationToken cancellationToken)
    {
        var result = await RunAsync("losetup", ["--find", "--show", image], cancellationToken);
        return result.StandardOutput.Trim();
    }

    /// <summary>Detaches a loop device; on a mounted one the kernel only marks it to go at unmount.</summary>
    public static Task DetachAsync(string device, CancellationToken cancellationToken) =>
        RunAsync("losetup", ["--detach", device], cancellationToken);

    public static Task MountAsync(string source, string mountPoint, IReadOnlyList<string> options, CancellationToken cancellationToken) =>
        RunAsync("mount", [.. options, source, mountPoint], cancellationToken);

    /// <summary>Unmounts; a mount still busy after a plain attempt is detached lazily, so it goes once its last user does.</summary>
    public static async Task UnmountAsync(string mountPoint, CancellationToken cancellationToken)
    {
        var plain = await ChildProcess.RunAsync("umount", [mountPoint], cancellationToken);
        if (!plain.Succeeded && MountAt(mountPoint) is not null)
        {
            await RunAsync("umount", ["--lazy", mountPoint], cancellationToken);
        }
    }

    /// <summary>Runs a disk command; a failure throws with what the command said.</summary>
    internal static async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ChildProcess.RunAsync(program, arguments, cancellationToken);
        if (!result.Succeeded)
        {
            throw new DiskException(
                $"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }

        return result;
    }

    private static string Text(JsonElement device, string name) =>
        device.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : "";

    private static string StripDeleted(string path) =>
        path.EndsWith(DeletedSuffix, StringComparison.Ordinal) ? path[..^DeletedSuffix.Length] : path;

    /// <summary>
    /// Runs a command and waits for it, without async: for exit and signal paths, where nothing
    /// can be awaited. Bounded, so a hung umount cannot hold a process's exit forever.
    /// </summary>
    internal static bool RunNow(string program, params string[] arguments) => RunNowCore(program, arguments) is not null;

    /// <summary>Like <see cref="RunNow"/>, and returns what the command printed; null when it failed.</summary>
    internal static string? RunNowOutput(string program, params string[] arguments) => RunNowCore(program, arguments);

    private static string? RunNowCore(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return null;
            }

            process.WaitForExit();
            return process.ExitCode == 0 ? output.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The program is not installed: nothing of this kind can be ours to release.
            return null;
        }
    }
}

/// <summary>A disk operation (losetup, mount, mkfs, a copy) failed.</summary>
public sealed class DiskException(string message) : Exception(message);
