namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// How big a sandbox server's InnoDB is and how it flushes. Tests keep <see cref="Small"/>: their
/// servers hold a few rows and die with the test run. The bench's busy-replica scene asks for a
/// production-sized buffer pool and redo log.
/// </summary>
public sealed record InnoDbSizing
{
    /// <summary>Small and lax, the tests' servers.</summary>
    public static readonly InnoDbSizing Small = new();

    public string BufferPoolSize { get; init; } = "16M";

    public string LogFileSize { get; init; } = "8M";

    /// <summary>Further [mysqld] lines (name=value), e.g. how eagerly InnoDB flushes.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];
}
