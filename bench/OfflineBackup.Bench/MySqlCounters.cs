using System.Globalization;
using OfflineBackup.Sandbox.MariaDb;

namespace OfflineBackup.Bench;

/// <summary>
/// MySQL round trips of one invocation, from the replica's global status counters read as root
/// before and after: <c>Connections</c> (connection attempts, TCP probes included) and
/// <c>Questions</c> (statements clients sent), plus the <c>Com_*</c> counters that moved.
/// Reading the counters costs a connection and statements of its own; <see cref="CalibrateAsync"/>
/// measures that with nothing in between, and <see cref="Delta"/> subtracts it.
/// </summary>
public sealed class MySqlCounters(MariaDbServer replica)
{
    private IReadOnlyDictionary<string, long> _ownCost = new Dictionary<string, long>(StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, long>> ReadAsync(CancellationToken cancellationToken)
    {
        var rows = await replica.QueryAsync(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Connections', 'Questions') OR Variable_name LIKE 'Com\\_%'",
            cancellationToken);
        return rows.ToDictionary(
            r => Convert.ToString(r["Variable_name"], CultureInfo.InvariantCulture)!,
            r => long.Parse(Convert.ToString(r["Value"], CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
            StringComparer.Ordinal);
    }

    /// <summary>The counters' movement between two reads with nothing else happening: the reads' own cost (the smallest of three tries).</summary>
    public async Task CalibrateAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, long>? least = null;
        for (var i = 0; i < 3; i++)
        {
            var before = await ReadAsync(cancellationToken);
            var after = await ReadAsync(cancellationToken);
            var cost = Subtract(after, before);
            least = least is null ? cost : least.Keys.ToDictionary(k => k, k => Math.Min(least[k], cost.GetValueOrDefault(k)), StringComparer.Ordinal);
        }

        _ownCost = least!;
    }

    /// <summary>What moved between the reads, less the reads' own cost; only counters that moved.</summary>
    public IReadOnlyDictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        Delta(before, after, _ownCost);

    public static IReadOnlyDictionary<string, long> Delta(
        IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> ownCost) =>
        Subtract(after, before)
            .Select(kv => (kv.Key, Value: kv.Value - ownCost.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Value != 0)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static Dictionary<string, long> Subtract(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before) =>
        after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key), StringComparer.Ordinal);
}
