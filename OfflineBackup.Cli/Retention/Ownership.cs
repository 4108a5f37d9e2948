namespace OfflineBackup.Retention;

/// <summary>Whose snapshot this is, as far as retention is concerned. Only Ours and Legacy may ever be deleted.</summary>
public enum Ownership
{
    /// <summary>Carries this tool's created-by and volume-id tags for the configured volume.</summary>
    Ours,

    /// <summary>Made by the original tool (its role/schema/Environment tags) and adopted with adopt_legacy.</summary>
    Legacy,

    /// <summary>Anything else: manual, AWS Backup, DLM, other tools, other volumes. Always kept.</summary>
    Foreign,
}
