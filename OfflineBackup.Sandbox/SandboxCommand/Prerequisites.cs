namespace OfflineBackup.Sandbox.SandboxCommand;

/// <summary>The MariaDB programs the fixture runs, looked up on PATH as it will look them up.</summary>
internal static class Prerequisites
{
    private static readonly string[] Programs = ["mariadbd", "mariadb-install-db", "mariadb-admin"];

    public static IReadOnlyList<string> MissingMariaDbPrograms()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries);
        return Programs.Where(program => !path.Any(dir => File.Exists(Path.Combine(dir, program)))).ToList();
    }
}
