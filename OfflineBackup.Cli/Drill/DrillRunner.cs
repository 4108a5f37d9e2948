using System.Globalization;
using NLog;
using OfflineBackup.Aws;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;
using OfflineBackup.Pipeline;
using OfflineBackup.Restore;

namespace OfflineBackup.Drill;

/// <summary>
/// A restore drill: volume from the snapshot in this zone, attach, device, mount on the scratch
/// mount point, throwaway server, time until it answers, checks; then, whatever happened (error,
/// timeout, signal), stop it, unmount, detach, delete. The journal records each thing before it
/// is made, so a SIGKILLed drill is cleaned by the next one (<see cref="DrillLeftovers"/>).
/// </summary>
public sealed class DrillRunner(
    Settings settings, SnapshotChoice choice, IVolumeStore store, VolumeRestorer restorer, TimeProvider clock, string runId, string host)
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public ScratchLayout Layout { get; } = new(settings.Drill.ScratchDirectory);

    /// <summary>Runs the drill under the drill lock. Notices: what an earlier killed drill left and this one removed.</summary>
    public async Task<(DrillReport Report, IReadOnlyList<Notice> Notices)> RunAsync(string? snapshotId, CancellationToken cancellationToken)
    {
        var drill = settings.Drill;
        var zone = settings.Placement.AvailabilityZone
            ?? throw new ConfigurationException("a drill needs instance.availability_zone: the zone of this instance, where its volume is made");
        if (!File.Exists(drill.MysqldBinary))
        {
            throw new ConfigurationException($"drill.mysqld: {drill.MysqldBinary} does not exist");
        }

        Directory.CreateDirectory(Layout.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var held = RunLock.TryAcquire(Path.Combine(Layout.Directory, "drill.lock"), clock.GetUtcNow(), out var holder)
            ?? throw new BackupException(ExitCodes.Locked, $"another drill holds {Path.Combine(Layout.Directory, "drill.lock")} ({holder})");
        var journal = new DrillJournal(Layout.JournalPath);
        var leftovers = await new DrillLeftovers(journal, store, restorer, drill.VolumeTimeout, clock).RemoveAsync(cancellationToken).ConfigureAwait(false);
        RefuseBusyScratch();

        var snapshot = snapshotId is null
            ? await choice.NewestAsync(cancellationToken).ConfigureAwait(false)
            : await choice.NamedAsync(snapshotId, force: false, cancellationToken).ConfigureAwait(false);
        var report = await DrillAsync(snapshot, zone, journal, cancellationToken).ConfigureAwait(false);

        // A signal during the clean-up lets it finish, then ends the drill as interrupted: a
        // drill cut short proves nothing, so the snapshot gets no result tag.
        cancellationToken.ThrowIfCancellationRequested();
        var notices = leftovers.Select(Notice.Warning).ToList();
        try
        {
            await store.TagSnapshotAsync(snapshot.Id, TagsOf(report), cancellationToken).ConfigureAwait(false);
        }
        catch (BackupException e)
        {
            notices.Add(Notice.Warning($"the drill's result could not be tagged on {snapshot.Id}: {e.Message}"));
        }

        return (report, notices);
    }

    /// <summary>
    /// For the hourly run: what a killed drill left (as its journal says), removed now rather
    /// than at the next drill, which may be days away while a throwaway server and a volume stay.
    /// Nothing when there is no journal or a drill is running (the journal is then its own).
    /// </summary>
    public async Task<IReadOnlyList<Notice>> RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Layout.JournalPath))
        {
            return [];
        }

        using var held = RunLock.TryAcquire(Path.Combine(Layout.Directory, "drill.lock"), clock.GetUtcNow(), out _);
        if (held is null)
        {
            return [];
        }

        try
        {
            var removed = await new DrillLeftovers(new DrillJournal(Layout.JournalPath), store, restorer, settings.Drill.VolumeTimeout, clock)
                .RemoveAsync(cancellationToken).ConfigureAwait(false);
            return [.. removed.Select(Notice.Warning)];
        }
        catch (BackupException e)
        {
            return [Notice.Warning($"an interrupted drill left things not all removed yet ({e.Message}); the next run tries again")];
        }
    }

    private async Task<DrillReport> DrillAsync(Snapshot snapshot, string zone, DrillJournal journal, CancellationToken cancellationToken)
    {
        var drill = settings.Drill;
        var started = clock.GetUtcNow();
        var entry = new DrillJournalEntry(runId, Environment.ProcessId, snapshot.Id, started, null, Layout.MountPoint, Layout.Socket, null);
        journal.Write(entry);
        var steps = new List<DrillStep>();
        var checks = new List<DrillCheck>();
        string? failure = null;
        RestoredVolume? volume = null;
        var mounted = false;
        var createSent = false;
        ScratchServer? server = null;
        TimeSpan? restoreTime = null;
        IReadOnlyList<string> cleanupProblems = [];
        var phase = "create volume";
        var phaseStart = clock.GetTimestamp();
        void Done(string detail, string next)
        {
            steps.Add(new DrillStep(phase, clock.GetElapsedTime(phaseStart), true, detail));
            phase = next;
            phaseStart = clock.GetTimestamp();
        }

        try
        {
            createSent = true;
            try
            {
                volume = await restorer.CreateAsync(
                    snapshot, new VolumeShape(zone, null, null, null), VolumeTags.For(snapshot.Id, runId, "drill", host), drill.VolumeTimeout,
                    ExitCodes.DrillFailed, id => journal.Write(entry = entry with { VolumeId = id }), cancellationToken).ConfigureAwait(false);
            }
            catch (Ec2OperationException e) when (e is { Action: "CreateVolume", IsAmbiguous: false })
            {
                // EC2 answered with a refusal: it made no volume, so there is none to look for.
                createSent = false;
                throw;
            }
            Done($"{volume.VolumeId} from {snapshot.Id} in {zone}", "attach");
            volume = await restorer.AttachAsync(
                volume, new AttachTarget(settings.Instance.InstanceId, null), drill.AttachTimeout, drill.DeviceTimeout, ExitCodes.DrillFailed,
                cancellationToken).ConfigureAwait(false);
            Done($"{volume.AttachedAs} on {volume.InstanceId}, device {volume.Device}", "mount");
            Directory.CreateDirectory(Layout.MountPoint);
            mounted = true;
            await HostMounts.MountAsync(volume.Device!, Layout.MountPoint, cancellationToken).ConfigureAwait(false);
            Done($"{volume.Device} on {Layout.MountPoint}", "start server");
            var dataDirectory = Path.GetFullPath(Path.Combine(Layout.MountPoint, drill.DataDirectoryOnVolume));
            if (!Directory.Exists(dataDirectory))
            {
                throw new BackupException(ExitCodes.DrillFailed, $"the volume holds no {drill.DataDirectoryOnVolume} (drill.data_directory_on_volume)");
            }

            server = ScratchServer.Start(drill, Layout, dataDirectory);
            journal.Write(entry = entry with { ServerPid = server.Pid });
            restoreTime = await server.WaitUntilAnsweringAsync(clock, drill.StartTimeout, cancellationToken).ConfigureAwait(false);
            Done($"answered after {Seconds(restoreTime.Value)} (pid {server.Pid}, socket {Layout.Socket})", "checks");
            await using (var connection = await server.OpenAsync(cancellationToken).ConfigureAwait(false))
            using (server.InterruptOnCancel(connection, cancellationToken))
            {
                try
                {
                    checks.AddRange(await DrillChecks.RunAsync(
                        connection, drill.CountTables, dataDirectory, ReplicaPosition.FromSnapshot(snapshot), cancellationToken).ConfigureAwait(false));
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
                {
                    // A statement we killed (KILL QUERY) ends in MySql.Data 26.10 with a
                    // NullReferenceException, not an error of its own: whatever it ends with
                    // once the drill was cancelled, it is the interruption.
                    throw new OperationCanceledException("the drill was interrupted during its checks", e, cancellationToken);
                }
            }

            var failed = checks.Where(c => !c.Passed).ToList();
            if (failed.Count > 0)
            {
                failure = $"check {string.Join(", ", failed.Select(c => $"{c.Name}: {c.Detail}"))}";
            }

            steps.Add(new DrillStep(phase, clock.GetElapsedTime(phaseStart), failed.Count == 0, $"{checks.Count - failed.Count} of {checks.Count} passed"));
        }
        catch (BackupException e) when (e.ExitCode is ExitCodes.DrillFailed or ExitCodes.RestoreFailed)
        {
            failure = $"{phase}: {e.Message}";
            steps.Add(new DrillStep(phase, clock.GetElapsedTime(phaseStart), false, e.Message));
        }
        finally
        {
            // Interrupted or not, nothing of the drill may stay: its own deadlines, no caller token.
            var problems = await CleanUpAsync(server, mounted, volume?.VolumeId ?? entry.VolumeId, createSent, steps).ConfigureAwait(false);
            if (problems.Count == 0)
            {
                journal.Clear();
            }

            cleanupProblems = problems;
        }

        var exitCode = failure is null && cleanupProblems.Count == 0 ? ExitCodes.Success : ExitCodes.DrillFailed;
        failure ??= cleanupProblems.Count > 0 ? $"clean-up: {string.Join("; ", cleanupProblems)}" : null;
        Log.Info("drill of {Snapshot}: {Result}", snapshot.Id, failure ?? "passed");
        return new DrillReport(runId, snapshot.Id, volume?.VolumeId ?? entry.VolumeId, started, restoreTime, steps, checks, cleanupProblems, exitCode, failure);
    }

    private async Task<IReadOnlyList<string>> CleanUpAsync(ScratchServer? server, bool mounted, string? volumeId, bool createSent, List<DrillStep> steps)
    {
        var problems = new List<string>();
        async Task StepAsync(string name, string detail, Func<Task> work)
        {
            var start = clock.GetTimestamp();
            try
            {
                await work().ConfigureAwait(false);
                steps.Add(new DrillStep(name, clock.GetElapsedTime(start), true, detail));
            }
            catch (Exception e) when (e is BackupException or IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                problems.Add($"{name}: {e.Message}");
                steps.Add(new DrillStep(name, clock.GetElapsedTime(start), false, e.Message));
            }
        }

        if (server is not null)
        {
            await StepAsync("stop server", $"pid {server.Pid}", () => server.StopAsync(clock)).ConfigureAwait(false);
        }

        if (mounted && HostMounts.IsMountPoint(Layout.MountPoint))
        {
            await StepAsync("unmount", Layout.MountPoint, () => HostMounts.UnmountAsync(Layout.MountPoint, CancellationToken.None)).ConfigureAwait(false);
        }

        if (volumeId is null && createSent)
        {
            // CreateVolume was sent and its answer lost (a signal, a timeout): the volume may
            // exist all the same, found by the drill's run-id tag. None seen yet keeps the
            // journal, so the next drill or run looks again.
            await StepAsync("find and delete the volume", $"tagged with run id {runId}", async () =>
            {
                var found = await store.FindByRunIdAsync(runId, CancellationToken.None).ConfigureAwait(false);
                if (found.Count == 0)
                {
                    throw new BackupException(ExitCodes.DrillFailed,
                        "CreateVolume was sent but its answer was lost and no volume of this drill shows yet; the next drill or run looks again");
                }

                foreach (var made in found)
                {
                    await restorer.RemoveAsync(made.Id, settings.Drill.VolumeTimeout, ExitCodes.DrillFailed, CancellationToken.None).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }

        if (volumeId is not null)
        {
            await StepAsync("detach and delete", volumeId,
                () => restorer.RemoveAsync(volumeId, settings.Drill.VolumeTimeout, ExitCodes.DrillFailed, CancellationToken.None)).ConfigureAwait(false);
        }

        return problems;
    }

    /// <summary>A drill never shares its mount point or socket: something there is not ours to touch.</summary>
    private void RefuseBusyScratch()
    {
        if (Directory.Exists(Layout.MountPoint) && HostMounts.IsMountPoint(Layout.MountPoint))
        {
            throw new ConfigurationException($"the drill's mount point {Layout.MountPoint} is in use by a mount the drill did not make; nothing was touched");
        }

        if (File.Exists(Layout.Socket))
        {
            using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            try
            {
                probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(Layout.Socket));
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Nobody listens: the socket of a server killed outright. Stale, and in our directory.
                File.Delete(Layout.Socket);
                return;
            }

            throw new ConfigurationException($"a server answers on the drill's socket {Layout.Socket}; nothing was touched");
        }
    }

    private Dictionary<string, string> TagsOf(DrillReport report)
    {
        var now = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ToolTags.LastDrill] = now,
            [ToolTags.LastDrillResult] = report.Passed ? "passed" : Truncate("failed: " + report.Failure, 255),
        };
        if (report.Passed)
        {
            tags[ToolTags.LastPassedDrill] = now;
        }

        return tags;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s");
}
