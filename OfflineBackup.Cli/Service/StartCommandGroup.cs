using System.Globalization;
using NLog;
using OfflineBackup.Platform;

namespace OfflineBackup.Service;

/// <summary>
/// The start command of a run that was killed may still be running. Unlike a stop command it
/// cannot take MySQL down, but it may hang (a systemctl job, a wrapper waiting on something),
/// and unlike under systemd it may hold the server itself: <c>mysqld_safe &amp;</c>, or a script
/// that starts mysqld without detaching it, leaves mysqld in the command's process group. Ending
/// that group as a whole, as is done with a stop command, could kill the production server. So
/// the recovery, before it starts MySQL:
/// <list type="number">
/// <item>lets the command run as long as its own run would have (its start timeout, counted from
/// when the journal recorded it), unless it ends or MySQL answers first;</item>
/// <item>leaves the group alone when MySQL answers: the start did its job, and what is left in the
/// group may be the server or its supervisor;</item>
/// <item>else ends (TERM, then KILL) each member that is not the server, one by one, never the
/// group: a member whose executable or script is mysqld, mariadbd or their _safe wrappers, or
/// whose PID is in service.pid_file, is spared, and so is every member the server runs under
/// (sudo, su or runuser pass a TERM on to their child). A server that does not answer yet may be
/// in crash recovery; killing it would throw that work away, and the start command that follows
/// waits for it as on any start.</item>
/// </list>
/// </summary>
public static class StartCommandGroup
{
    private static readonly string[] ServerNames = ["mysqld", "mariadbd", "mysqld_safe", "mariadbd-safe", "mysqld-debug", "mariadbd-debug"];
    private static readonly TimeSpan TermGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>
    /// Settles the dead run's start command (process group <paramref name="group"/>), waiting at
    /// most until <paramref name="deadline"/>. What was done, for the recovery's summary; null
    /// when the group was already gone. Nothing is signalled unless the group is proven to be
    /// the command's (<see cref="RecordedGroup.Check"/>), checked again before each signal.
    /// </summary>
    public static async Task<GroupOutcome?> SettleAsync(RecordedGroup group, DateTimeOffset deadline, IMySqlService service, string? pidFile, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(clock);
        var id = group.Id;
        if (NotToSignal(group, group.Check()) is { } first)
        {
            return first.Outcome;
        }

        Log.WithProperty("step", "recovery").Warn("the dead run's start command still runs (process group {group})", id);
        while (true)
        {
            if (NotToSignal(group, group.Check()) is { } now)
            {
                return now.Outcome ?? new GroupOutcome($"its start command (process group {id}) finished while the recovery waited");
            }

            if (await service.IsUpAsync(CancellationToken.None))
            {
                return new GroupOutcome($"left its start command's process group {id} running: MySQL answers, and the group may hold the server");
            }

            if (clock.GetUtcNow() >= deadline)
            {
                break;
            }

            await Task.Delay(Poll, clock, CancellationToken.None);
        }

        var spared = await EndAllButServerAsync(group, pidFile, clock);
        return new GroupOutcome($"ended its start command, still running with MySQL not answering (process group {id})"
            + (spared.Count == 0 ? string.Empty : $"; spared the server and what it runs under (PID {string.Join(", ", spared)})"));
    }

    /// <summary>Why the group is not to be signalled (with what to say; no outcome when nothing is left), or null when it is ours.</summary>
    private static Skip? NotToSignal(RecordedGroup group, GroupState state) => state switch
    {
        GroupState.Ours => null,
        GroupState.Gone or GroupState.OtherBoot => new Skip(null),
        GroupState.NotOurs => new Skip(new GroupOutcome(
            $"left process group {group.Id} alone: it is no longer the dead run's start command (its leader or its processes are not the ones recorded)")),
        _ => new Skip(new GroupOutcome(
            $"could not verify that process group {group.Id} is still the dead run's start command (the journal does not say when its leader started: "
            + $"an older version wrote it, or the command had ended before it was recorded), so it was not signalled. Check `{group.PsCommand}`: a hung start command there may be "
            + "ended by hand, but never the mysqld or mysqld_safe it may hold",
            NeedsPerson: true)),
    };

    private sealed record Skip(GroupOutcome? Outcome);

    /// <summary>TERM, then KILL, every member that is not the server; returns the members spared.</summary>
    private static async Task<IReadOnlyList<int>> EndAllButServerAsync(RecordedGroup group, string? pidFile, TimeProvider clock)
    {
        var spared = new SortedSet<int>();
        foreach (var (signal, grace) in new[] { (LibC.SigTerm, TermGrace), (LibC.SigKill, KillGrace) })
        {
            var started = clock.GetTimestamp();
            var signalled = new HashSet<int>();
            while (true)
            {
                // Listed again on each pass: a member may fork while it is being ended; and proven
                // ours again, for a group that ended meanwhile may have its id reused.
                if (group.Check() != GroupState.Ours)
                {
                    return [.. spared];
                }

                var members = LibC.GroupMembers(group.Id);
                var server = members.Where(pid => IsServer(pid, pidFile)).ToList();
                spared.UnionWith(server.SelectMany(pid => AncestorsIn(pid, members)).Concat(server));
                var others = members.Where(pid => !spared.Contains(pid)).ToList();

                if (others.Count == 0)
                {
                    return [.. spared];
                }

                foreach (var pid in others.Where(signalled.Add))
                {
                    Log.WithProperty("step", "recovery").Warn("ending PID {pid} of the dead run's start command (signal {signal})", pid, signal);
                    _ = LibC.Kill(pid, signal);
                }

                if (clock.GetElapsedTime(started) > grace)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), clock, CancellationToken.None);
            }
        }

        return [.. spared];
    }

    /// <summary>
    /// The MySQL server or its supervisor: by the PID in the pid file, else by the name of the
    /// executable or of the script an interpreter runs (<c>/bin/sh /usr/bin/mysqld_safe</c>).
    /// </summary>
    public static bool IsServer(int pid, string? pidFile)
    {
        if (PidInFile(pidFile) == pid)
        {
            return true;
        }

        var names = new List<string?>();
        try
        {
            names.Add(new FileInfo($"/proc/{pid}/exe").LinkTarget);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone, or a kernel thread: judged by its command line alone.
        }

        try
        {
            names.AddRange(File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Take(2));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone while we looked.
        }

        return names.Any(name => name is { Length: > 0 }
            && ServerNames.Contains(Path.GetFileName(name.Replace(" (deleted)", string.Empty, StringComparison.Ordinal)), StringComparer.Ordinal));
    }

    /// <summary>The members of the group that <paramref name="pid"/> runs under, by parent PID.</summary>
    private static IEnumerable<int> AncestorsIn(int pid, IReadOnlyList<int> members)
    {
        var seen = new HashSet<int> { pid };
        for (var parent = ParentOf(pid); parent is { } p && members.Contains(p) && seen.Add(p); parent = ParentOf(p))
        {
            yield return p;
        }
    }

    private static int? ParentOf(int pid) => ProcessIdentity.Read(pid)?.Parent;

    private static int? PidInFile(string? pidFile)
    {
        try
        {
            return pidFile is not null && File.Exists(pidFile)
                && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                ? pid
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
