using System.Globalization;
using OfflineBackup.Text;

namespace OfflineBackup.Commands;

/// <summary>The aligned text table of <c>list</c> and <c>prune --dry-run</c>: one snapshot a line.</summary>
public static class SnapshotTable
{
    private static readonly string[] Headers =
        ["SNAPSHOT", "STATE", "PROGRESS", "STARTED (UTC)", "AGE", "SIZE", "WHOSE", "CONSISTENCY", "VERDICT", "REASON"];

    public static async Task WriteAsync(TextWriter output, IReadOnlyList<SnapshotRow> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var cells = rows.Select(Cells).Prepend(Headers).ToList();
        var widths = Enumerable.Range(0, Headers.Length).Select(c => cells.Max(r => r[c].Length)).ToArray();
        foreach (var row in cells)
        {
            // The reason is last and free length: no padding, so lines carry no trailing blanks.
            var padded = row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]));
            await output.WriteLineAsync(string.Join("  ", padded));
        }
    }

    private static string[] Cells(SnapshotRow row) =>
    [
        row.SnapshotId,
        row.State,
        row.Progress,
        Durations.Utc(row.Started),
        row.Age,
        row.SizeGib.ToString(CultureInfo.InvariantCulture) + " GiB",
        row.Ownership,
        row.Consistency,
        row.Verdict,
        row.Reason,
    ];
}
