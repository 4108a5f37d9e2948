using System.Reflection;

namespace OfflineBackup.Tests.Sandbox;

/// <summary>The checkout the tests were built from, and the build configuration they were built in.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(RepositoryFiles).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("the test assembly names no build configuration");

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "OfflineBackup.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no OfflineBackup.sln above {AppContext.BaseDirectory}");
    }
}
