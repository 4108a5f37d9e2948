namespace OfflineBackup.Configuration;

/// <summary>What loading produced: the settings and warnings for the operator (e.g. a password file readable by others).</summary>
public sealed record LoadedConfig(Settings Settings, IReadOnlyList<string> Warnings);
