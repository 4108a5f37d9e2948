namespace OfflineBackup.Configuration.Yaml;

/// <summary>Finds the known key a typo most likely meant (optimal string alignment distance).</summary>
internal static class KeySuggester
{
    public static string? Closest(string typed, IEnumerable<string> known)
    {
        var normalized = Normalize(typed);
        // A third of the length catches "retension_seconds" and "hots" without pairing "db" with "id".
        var allowed = Math.Max(1, Math.Min(3, normalized.Length / 3));
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(normalized, Normalize(candidate));
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    // Case and dash/underscore mix-ups are the commonest slips, so they cost nothing.
    private static string Normalize(string key) => key.ToLowerInvariant().Replace('-', '_');

    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
