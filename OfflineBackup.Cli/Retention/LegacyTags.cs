namespace OfflineBackup.Retention;

/// <summary>
/// The original tool's tag values (tag_role, tag_schema, tag_environment). With adopt_legacy a
/// snapshot of our volume carrying all three, and no created-by tag, is treated as ours, so the
/// snapshots taken before the migration age out instead of piling up forever.
/// </summary>
public sealed record LegacyTags(string Role, string Schema, string Environment)
{
    internal bool AnyBlank =>
        string.IsNullOrWhiteSpace(Role)
        || string.IsNullOrWhiteSpace(Schema)
        || string.IsNullOrWhiteSpace(Environment);
}
