using System.Globalization;
using System.Text.RegularExpressions;

namespace OfflineBackup.MySql;

/// <summary>
/// MariaDB or MySQL, and which version: the replication statements and the privilege names
/// differ between them. Parsed from SELECT VERSION() ("10.11.19-MariaDB-0+deb12u1",
/// "8.0.36") or a handshake version, where MariaDB prefixes "5.5.5-".
/// </summary>
public sealed partial record ServerFlavor(bool IsMariaDb, Version Version)
{
    public static ServerFlavor Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var isMariaDb = version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
        var text = isMariaDb && version.StartsWith("5.5.5-", StringComparison.Ordinal) ? version[6..] : version;
        var match = LeadingVersion().Match(text);
        var parsed = match.Success
            ? new Version(
                int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0)
            : new Version(0, 0, 0);
        return new ServerFlavor(isMariaDb, parsed);
    }

    /// <summary>MariaDB 10.5.9+ split SHOW SLAVE STATUS off into SLAVE MONITOR.</summary>
    public bool HasSlaveMonitor => IsMariaDb && Version >= new Version(10, 5, 9);

    /// <summary>MariaDB 10.5.2+ and MySQL 8.0 took replication control out of SUPER.</summary>
    public bool HasReplicationSlaveAdmin =>
        IsMariaDb ? Version >= new Version(10, 5, 2) : Version >= new Version(8, 0, 0);

    public override string ToString() => $"{(IsMariaDb ? "MariaDB" : "MySQL")} {Version}";

    [GeneratedRegex(@"^(\d+)\.(\d+)(?:\.(\d+))?")]
    private static partial Regex LeadingVersion();
}
