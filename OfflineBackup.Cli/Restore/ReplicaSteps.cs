using OfflineBackup.Pipeline.Steps;
using System.Globalization;

namespace OfflineBackup.Restore;

/// <summary>One step a person (or a test) carries out: a shell command, a statement for the restored server, or a note.</summary>
public sealed record RestoreStep(RestoreStepKind Kind, string Text);

public enum RestoreStepKind
{
    Note,
    Shell,
    Sql,
}

/// <summary>Where and how the restored copy is to run: a second server beside production, never in its place.</summary>
public sealed record ReplicaLayout(
    string MountPoint,
    string DataDirectoryOnVolume,
    string MysqldBinary,
    string OsUser,
    long ServerId,
    int Port)
{
    public string DataDirectory => Path.GetFullPath(Path.Combine(MountPoint, DataDirectoryOnVolume));

    public string Socket => MountPoint.TrimEnd('/') + ".sock";

    public bool IsMariaDb => Path.GetFileName(MysqldBinary).Contains("mariadb", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The exact steps that bring a restored volume up as a replica: mount, a new identity (server_id,
/// no auto.cnf), a start with replication off, then the statements that resume replication from
/// the position the snapshot recorded. Pure: the same input prints the same steps.
/// </summary>
public static class ReplicaSteps
{
    public static IReadOnlyList<RestoreStep> For(RestoredVolume volume, ReplicaLayout layout, ReplicaPosition position)
    {
        var inv = CultureInfo.InvariantCulture;
        var device = volume.Device ?? $"<the device of {volume.VolumeId} once attached: the link of {DeviceLocator.NitroPrefix}{volume.VolumeId.Replace("-", "", StringComparison.Ordinal)}>";
        var data = layout.DataDirectory;
        var stem = layout.MountPoint.TrimEnd('/');
        var steps = new List<RestoreStep>
        {
            Note($"1. mount the volume on a directory of its own (never on the production data directory):"),
            Shell($"mkdir -p {layout.MountPoint}"),
            Shell($"mount {device} {layout.MountPoint}"),
            Note($"   if online mode wrote a position file, its first line is where this copy stands, before any position below: "
                + $"gtid:G resumes as in step 4 with G as the GTID position; file:NAME:POS with {(layout.IsMariaDb ? "MASTER_LOG_FILE='NAME', MASTER_LOG_POS=POS, MASTER_USE_GTID=no" : "SOURCE_LOG_FILE='NAME', SOURCE_LOG_POS=POS, SOURCE_AUTO_POSITION=0")}:"),
            Shell($"cat {data}/{PositionFile.Name} 2>/dev/null || echo 'no {PositionFile.Name}: resume as in step 4'"),
            Note("2. give the copy its own identity: a new server UUID (auto.cnf is made again at start) and a new server_id:"),
            Shell($"rm -f {data}/auto.cnf"),
            Note(string.Create(inv, $"3. start it with replication off, on its own socket and port (server_id {layout.ServerId}; for a lasting setup put these in its my.cnf):")),
            Shell(string.Create(inv,
                $"nohup {layout.MysqldBinary} --no-defaults --user={layout.OsUser} --datadir={data} --socket={layout.Socket} --pid-file={stem}.pid "
                + $"--log-error={stem}.err --port={layout.Port} --bind-address=127.0.0.1 --server-id={layout.ServerId} --skip-slave-start --read-only >/dev/null 2>&1 &")),
            Note($"4. on the restored server (mysql --socket={layout.Socket} -u root -p), resume replication from {position.Source}:"),
        };
        steps.AddRange(layout.IsMariaDb ? MariaDbStatements(position) : MySqlStatements(position));
        steps.Add(Note($"5. check: SHOW {(layout.IsMariaDb ? "SLAVE" : "REPLICA")} STATUS shows both threads running; the error log is {stem}.err"));
        return steps;
    }

    /// <summary>
    /// RESET SLAVE drops the copied relay logs (their names may be the old host's) and keeps the
    /// connection settings in memory, so the primary's host and login come from the copy itself.
    /// </summary>
    private static IEnumerable<RestoreStep> MariaDbStatements(ReplicaPosition position)
    {
        yield return Sql("STOP SLAVE");
        yield return Sql("RESET SLAVE");
        if (position.BinlogFile is { } file)
        {
            yield return Sql(string.Create(CultureInfo.InvariantCulture,
                $"CHANGE MASTER TO MASTER_LOG_FILE='{file}', MASTER_LOG_POS={position.BinlogPosition}, MASTER_USE_GTID=no"));
        }
        else
        {
            if (position.GtidSet is { } gtid)
            {
                yield return Sql($"SET GLOBAL gtid_slave_pos='{gtid}'");
            }

            yield return Sql("CHANGE MASTER TO MASTER_USE_GTID=slave_pos");
        }

        yield return Sql("START SLAVE");
    }

    private static IEnumerable<RestoreStep> MySqlStatements(ReplicaPosition position)
    {
        yield return Sql("STOP REPLICA");
        if (position.BinlogFile is { } file)
        {
            yield return Sql(string.Create(CultureInfo.InvariantCulture,
                $"CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='{file}', SOURCE_LOG_POS={position.BinlogPosition}, SOURCE_AUTO_POSITION=0"));
        }
        else if (position.GtidSet is { } gtid)
        {
            yield return Sql("RESET MASTER");
            yield return Sql($"SET GLOBAL gtid_purged='{gtid}'");
            yield return Sql("CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1");
        }

        // Stop mode: the relay log position is in the copy's own crash-safe tables.
        yield return Sql("START REPLICA");
    }

    private static RestoreStep Note(string text) => new(RestoreStepKind.Note, text);

    private static RestoreStep Shell(string text) => new(RestoreStepKind.Shell, text);

    private static RestoreStep Sql(string text) => new(RestoreStepKind.Sql, text + ";");
}
