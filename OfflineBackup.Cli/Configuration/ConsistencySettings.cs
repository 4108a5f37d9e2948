namespace OfflineBackup.Configuration;

/// <summary>How the snapshot is made consistent: <c>consistency.mode</c>.</summary>
public enum ConsistencyMode
{
    /// <summary>Stop MySQL around CreateSnapshot: a clean shutdown (the default, the original tool's way).</summary>
    Stop,

    /// <summary>MySQL keeps running: replication paused, commits blocked around CreateSnapshot; InnoDB recovers the copy on start.</summary>
    Online,
}

/// <summary>
/// The optional <c>consistency:</c> section. The defaults are the stop mode of every earlier
/// version; <see cref="FreezeFilesystem"/> and <see cref="MaxBlock"/> matter in online mode only.
/// </summary>
public sealed record ConsistencySettings(ConsistencyMode Mode, bool FreezeFilesystem, TimeSpan MaxBlock)
{
    public static readonly TimeSpan DefaultMaxBlock = TimeSpan.FromSeconds(30);

    public static readonly ConsistencySettings Default = new(ConsistencyMode.Stop, false, DefaultMaxBlock);

    public bool IsOnline => Mode == ConsistencyMode.Online;
}
