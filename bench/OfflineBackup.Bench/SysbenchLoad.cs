using System.Globalization;
using OfflineBackup.Sandbox.MariaDb;
using OfflineBackup.Sandbox.Testing;

namespace OfflineBackup.Bench;

/// <summary>
/// sysbench's <c>oltp_write_only</c> (Debian's sysbench package) against the sandbox primary: the
/// tables are prepared once, then the load runs in the background at a fixed rate until disposed,
/// reaching the replica through replication as a production write load does.
/// </summary>
public sealed class SysbenchLoad : IDisposable
{
    private const string Database = "sbtest";
    private readonly ChildProcess _run;

    private SysbenchLoad(ChildProcess run) => _run = run;

    /// <summary>The load's process has ended (it should not while the scene runs).</summary>
    public bool HasExited => _run.HasExited;

    public string Output => _run.ToString();

    /// <summary>Creates the schema and <paramref name="tables"/> tables of <paramref name="rows"/> rows each on the primary.</summary>
    public static async Task PrepareAsync(MariaDbReplicationPair pair, int tables, int rows, CancellationToken cancellationToken)
    {
        await pair.Primary.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {Database}", cancellationToken);
        var result = await ChildProcess.RunAsync("sysbench", Arguments(pair, tables, rows, ["prepare"]), cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"sysbench prepare failed: {result}");
        }
    }

    /// <summary>Starts <c>oltp_write_only</c> with <paramref name="threads"/> threads at <paramref name="rate"/> transactions per second, until disposed.</summary>
    public static SysbenchLoad Start(MariaDbReplicationPair pair, int tables, int rows, int threads, int rate) =>
        new(ChildProcess.Start("sysbench", Arguments(pair, tables, rows, [
            string.Create(CultureInfo.InvariantCulture, $"--threads={threads}"),
            string.Create(CultureInfo.InvariantCulture, $"--rate={rate}"),
            "--time=0",
            "--report-interval=0",
            "run",
        ])));

    private static string[] Arguments(MariaDbReplicationPair pair, int tables, int rows, string[] rest) =>
    [
        "oltp_write_only",
        "--db-driver=mysql",
        $"--mysql-host={pair.Primary.Host}",
        string.Create(CultureInfo.InvariantCulture, $"--mysql-port={pair.Primary.Port}"),
        $"--mysql-user={pair.Primary.RootUser}",
        // The sandbox's throwaway root password of a server that lives as long as the bench.
        $"--mysql-password={pair.Primary.RootPassword}",
        $"--mysql-db={Database}",
        string.Create(CultureInfo.InvariantCulture, $"--tables={tables}"),
        string.Create(CultureInfo.InvariantCulture, $"--table-size={rows}"),
        .. rest,
    ];

    public void Dispose() => _run.Dispose();
}
