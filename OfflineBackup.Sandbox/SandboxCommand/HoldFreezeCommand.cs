using System.CommandLine;
using System.Globalization;
using OfflineBackup.Freezing;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// `OfflineBackup.Sandbox hold-freeze PATH SECONDS`, hidden: freezes the filesystem holding PATH
/// through the tool's own <see cref="FrozenFilesystem"/>, prints the freeze record, and holds it
/// until killed. A test stops or kills it (SIGSTOP, SIGKILL) to prove the watchdog thaws without
/// its owner: the owner must be a process of its own, which the test process cannot be. Test
/// tooling only, never part of the offline-backup binary.
/// </summary>
public static class HoldFreezeCommand
{
    public const string Name = "hold-freeze";

    /// <summary>The line it prints once frozen: "frozen MOUNT PID START-TICKS DEADLINE".</summary>
    public const string FrozenPrefix = "frozen ";

    private static readonly Argument<string> PathArgument = new("path");
    private static readonly Argument<double> SecondsArgument = new("seconds");

    public static Command Create(TextWriter output)
    {
        var command = new Command(Name, "Freeze the filesystem holding PATH for at most SECONDS and hold it until killed (tests)")
        {
            PathArgument,
            SecondsArgument,
        };
        command.Hidden = true;
        command.SetAction((parse, cancellationToken) => HoldAsync(parse.GetValue(PathArgument)!, parse.GetValue(SecondsArgument), output, cancellationToken));
        return command;
    }

    public static FreezeRecord ParseRecord(string line)
    {
        var fields = line[FrozenPrefix.Length..].Split(' ');
        return new FreezeRecord(
            fields[0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[2], CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    private static async Task<int> HoldAsync(string path, double seconds, TextWriter output, CancellationToken cancellationToken)
    {
        await using var frozen = await FrozenFilesystem.FreezeAsync(path, [], TimeSpan.FromSeconds(seconds), TimeProvider.System, null, cancellationToken);
        var record = frozen.Record;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{FrozenPrefix}{record.MountPoint} {record.WatchdogPid} {record.WatchdogStartTicks} {record.Deadline:o}"));
        await output.FlushAsync(cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }
}
