using System.CommandLine;
using System.Globalization;
using OfflineBackup.Freezing;

namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>
/// `OfflineBackup.Sandbox hold-freeze PATH SECONDS [--gate FIFO]`, hidden: freezes the filesystem
/// holding PATH through the tool's own <see cref="FrozenFilesystem"/>, prints the freeze record, and
/// holds it until killed. With --gate it first prepares (the watchdog started, not counting),
/// prints "prepared ...", and freezes only once a line is written to the FIFO, as the online run
/// freezes only once commits are blocked. A test stops or kills it (SIGSTOP, SIGKILL) to prove the watchdog thaws without
/// its owner: the owner must be a process of its own, which the test process cannot be. Test
/// tooling only, never part of the offline-backup binary.
/// </summary>
public static class HoldFreezeCommand
{
    public const string Name = "hold-freeze";

    /// <summary>The line it prints once frozen: "frozen MOUNT PID START-TICKS DEADLINE".</summary>
    public const string FrozenPrefix = "frozen ";

    /// <summary>The line it prints once prepared, with --gate: "prepared MOUNT PID START-TICKS DEADLINE".</summary>
    public const string PreparedPrefix = "prepared ";

    private static readonly Argument<string> PathArgument = new("path");
    private static readonly Argument<double> SecondsArgument = new("seconds");
    private static readonly Option<string?> GateOption = new("--gate") { Description = "a FIFO: prepare, then freeze once a line arrives" };

    public static Command Create(TextWriter output)
    {
        var command = new Command(Name, "Freeze the filesystem holding PATH for at most SECONDS and hold it until killed (tests)")
        {
            PathArgument,
            SecondsArgument,
            GateOption,
        };
        command.Hidden = true;
        command.SetAction((parse, cancellationToken) => HoldAsync(parse.GetValue(PathArgument)!, parse.GetValue(SecondsArgument), parse.GetValue(GateOption), output, cancellationToken));
        return command;
    }

    public static FreezeRecord ParseRecord(string line)
    {
        var fields = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].Split(' ');
        return new FreezeRecord(
            fields[0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[2], CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    private static async Task<int> HoldAsync(string path, double seconds, string? gate, TextWriter output, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(seconds);
        FrozenFilesystem frozen;
        if (gate is null)
        {
            frozen = await FrozenFilesystem.FreezeAsync(path, [], limit, TimeProvider.System, null, cancellationToken);
        }
        else
        {
            await using var prepared = await PreparedFreeze.PrepareAsync(path, [], TimeProvider.System, cancellationToken);
            await PrintAsync(output, PreparedPrefix, prepared.RecordUntil(DateTimeOffset.MaxValue), cancellationToken);
            using (var reader = new StreamReader(gate))
            {
                await reader.ReadLineAsync(cancellationToken);
            }

            frozen = await prepared.FreezeAsync(limit, cancellationToken);
        }

        await using (frozen)
        {
            await PrintAsync(output, FrozenPrefix, frozen.Record, cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return 0;
    }

    private static async Task PrintAsync(TextWriter output, string prefix, FreezeRecord record, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{prefix}{record.MountPoint} {record.WatchdogPid} {record.WatchdogStartTicks} {record.Deadline:o}"));
        await output.FlushAsync(cancellationToken);
    }
}
