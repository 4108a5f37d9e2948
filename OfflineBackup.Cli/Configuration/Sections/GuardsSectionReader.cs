using OfflineBackup.Configuration.Yaml;

namespace OfflineBackup.Configuration.Sections;

/// <summary>The optional <c>guards:</c> section: when a run may go ahead at all.</summary>
internal static class GuardsSectionReader
{
    private const int TenYearsOfHours = 87_600;

    public static GuardSettings Read(ConfigMapping guards)
    {
        var maxLag = guards.Int("max_lag_seconds", 10_800, 1, int.MaxValue, "a whole number of seconds greater than 0");
        var minAgeHours = guards.Int("min_snapshot_age_hours", 24, 1, TenYearsOfHours, "a whole number of hours from 1 to 87600");
        var toleranceMinutes = guards.Int("age_tolerance_minutes", 45, 0, int.MaxValue, "a whole number of minutes, 0 or more");

        // With a tolerance as long as the minimum age, every run would be due and the age guard void.
        if (toleranceMinutes >= minAgeHours * 60)
        {
            throw guards.Fail("age_tolerance_minutes",
                $"expected fewer minutes than guards.min_snapshot_age_hours ({minAgeHours} h = {minAgeHours * 60} min), got {toleranceMinutes}");
        }

        return new GuardSettings(
            TimeSpan.FromSeconds(maxLag),
            TimeSpan.FromHours(minAgeHours),
            TimeSpan.FromMinutes(toleranceMinutes));
    }
}
