namespace OfflineBackup.Tests.Unit.Configuration;

/// <summary>A temporary directory for config, password and option files, with explicit unix modes.</summary>
internal sealed class ConfigFiles : IDisposable
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode WorldReadable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public ConfigFiles()
    {
        Root = Directory.CreateTempSubdirectory("offline-backup-config-").FullName;
    }

    public string Root { get; }

    public string Write(string name, string text, UnixFileMode mode = OwnerOnly)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        // The tool and its permission checks are for Linux; on Windows there is no mode to set.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>Config texts shared by the configuration tests.</summary>
internal static class SampleConfigs
{
    public const string Password = "S3cr3t-pa55word!";

    /// <summary>The original tool's file, with realistic ids in place of its X placeholders.</summary>
    public const string Original = """
        mysql:
          host: localhost
          user: monitor
          port: 3306
          password: 'XXXXXXXXXXXXX'
          db: ''
        instance:
          instance_id: i-0123456789abcdef0
          volume_id: vol-0123456789abcdef0
          g_instance_name: pro-sql-XXXXXXXX-
          lock_filename: /tmp/db-snapshoot-locking.lock
          tag_role: sql
          tag_schema: XXXXXXXXXX
          tag_environment: pro
          retention_seconds: 250000

        """;

    /// <summary>The original tool's file verbatim, X placeholders and all: <see cref="Original"/> with the placeholders back in place of its ids.</summary>
    public static readonly string OriginalWithPlaceholders = Original
        .Replace("i-0123456789abcdef0", "i-XXXXXXXXXXXXX", StringComparison.Ordinal)
        .Replace("vol-0123456789abcdef0", "vol-XXXXXXXXXXXX", StringComparison.Ordinal);

    /// <summary>Without a password, so no permission warning and any password source can be added.</summary>
    public static string WithoutPassword(string mysqlExtra = "") =>
        Original.Replace("  password: 'XXXXXXXXXXXXX'\n", mysqlExtra, StringComparison.Ordinal);

    public static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
