using System.Globalization;
using System.Text.Json;

namespace OfflineBackup.Bench;

/// <summary>One line of the tool's JSON log file.</summary>
public sealed record LogLine(DateTimeOffset Time, string Level, string Message, string? Step);

/// <summary>
/// The tool's JSON log of one invocation: when things happened (UTC, ms) and the run's
/// "timings stop_ms=.. create_ms=.. ..." breakdown (Pipeline/Steps/RunTimings.cs).
/// </summary>
public sealed class RunLog(IReadOnlyList<LogLine> lines)
{
    public IReadOnlyList<LogLine> Lines { get; } = lines;

    public static RunLog Parse(string text)
    {
        var lines = new List<LogLine>();
        foreach (var raw in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(raw);
            var root = json.RootElement;
            var step = root.TryGetProperty("step", out var s) ? s.GetString() : null;
            lines.Add(new LogLine(
                DateTimeOffset.Parse(root.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                root.GetProperty("level").GetString()!,
                root.GetProperty("message").GetString()!,
                string.IsNullOrEmpty(step) ? null : step));
        }

        return new RunLog(lines);
    }

    /// <summary>Time of the first line whose message starts with <paramref name="prefix"/>; throws when there is none.</summary>
    public DateTimeOffset TimeOf(string prefix) =>
        Lines.FirstOrDefault(l => l.Message.StartsWith(prefix, StringComparison.Ordinal))?.Time
        ?? throw new InvalidOperationException($"no log line starts with '{prefix}'");

    /// <summary>The run's timings line as name → milliseconds ("stop" → 2100, ...).</summary>
    public IReadOnlyDictionary<string, double> Timings()
    {
        var line = Lines.LastOrDefault(l => l.Message.StartsWith("timings ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("the log has no timings line");
        return ParseTimings(line.Message);
    }

    /// <summary>"timings stop_ms=2100 create_ms=180" → {stop: 2100, create: 180}.</summary>
    public static IReadOnlyDictionary<string, double> ParseTimings(string message)
    {
        var laps = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in message.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !part[..equals].EndsWith("_ms", StringComparison.Ordinal))
            {
                throw new FormatException($"unexpected timings field '{part}' in '{message}'");
            }

            laps[part[..(equals - 3)]] = double.Parse(part[(equals + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture);
        }

        return laps;
    }
}
