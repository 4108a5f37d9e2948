using System.Text;

namespace OfflineBackup.Configuration.Passwords;

/// <summary>
/// The [client] group of a MySQL option file, read the way the mysql client reads it
/// (mysys/my_default.cc): # and ; comment lines, a # comment may follow a value outside quotes,
/// names are case-insensitive with - and _ alike, values may be quoted and take the escapes
/// \n \t \r \b \s \\ \' \", and a later line overrides an earlier one.
/// A bare name without = maps to null.
/// </summary>
internal sealed record MySqlOptionFile(IReadOnlyDictionary<string, string?> Client, int? MalformedLine, bool HasIncludes)
{
    public static MySqlOptionFile Parse(string text)
    {
        var client = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? group = null;
        var hasIncludes = false;
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line.StartsWith("!include", StringComparison.Ordinal))
            {
                hasIncludes = true;
                continue;
            }

            if (line[0] == '[')
            {
                var end = line.IndexOf(']', StringComparison.Ordinal);
                if (end < 0 || RemoveEndComment(line[(end + 1)..]).Trim().Length > 0)
                {
                    return new MySqlOptionFile(client, index + 1, hasIncludes);
                }

                group = line[1..end].Trim();
                continue;
            }

            line = RemoveEndComment(line).Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? line : line[..equals]).Trim().ToLowerInvariant().Replace('-', '_');
            if (group is null || name.Length == 0 || name.Any(char.IsWhiteSpace))
            {
                return new MySqlOptionFile(client, index + 1, hasIncludes);
            }

            if (string.Equals(group, "client", StringComparison.OrdinalIgnoreCase))
            {
                client[name] = equals < 0 ? null : Unescape(Unquote(line[(equals + 1)..].Trim()));
            }
        }

        return new MySqlOptionFile(client, null, hasIncludes);
    }

    private static string RemoveEndComment(string line)
    {
        char quote = '\0';
        var escaped = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '\'' or '"' && !escaped)
            {
                quote = quote == '\0' ? c : quote == c ? '\0' : quote;
            }
            else if (c == '#' && quote == '\0')
            {
                return line[..i];
            }

            escaped = quote != '\0' && c == '\\' && !escaped;
        }

        return line;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] is '\'' or '"' && value[^1] == value[0] ? value[1..^1] : value;

    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i == value.Length - 1)
            {
                result.Append(value[i]);
                continue;
            }

            var next = value[++i];
            result.Append(next switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                'b' => "\b",
                's' => " ",
                '\\' or '\'' or '"' => next.ToString(),
                _ => "\\" + next,
            });
        }

        return result.ToString();
    }
}
