namespace OfflineBackup.Sandbox.Testing;

/// <summary>The tool's files in one directory: config, password file, lock, journal and log.</summary>
public sealed record ToolFiles(string Directory)
{
    public string Config => Path("config.yml");

    public string PasswordFile => Path("mysql.password");

    public string Lock => Path("offline-backup.lock");

    public string Journal => Path("journal.json");

    public string Log => Path("offline-backup.log");

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public string ReadLog() => File.Exists(Log) ? File.ReadAllText(Log) : string.Empty;

    /// <summary>A fresh directory under /tmp, for a world that is not given one.</summary>
    public static ToolFiles CreateTemporary() =>
        new(System.IO.Directory.CreateTempSubdirectory("offline-backup-world-").FullName);
}
