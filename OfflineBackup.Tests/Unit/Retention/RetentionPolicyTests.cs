using static OfflineBackup.Tests.Unit.Retention.RetentionFixtures;

namespace OfflineBackup.Tests.Unit.Retention;

public sealed class RetentionPolicyTests
{
    public static TheoryData<string, string> Invalid => new()
    {
        // what, the config key the message must name
        { "retention zero", "retention_seconds" },
        { "retention negative", "retention_seconds" },
        { "min_keep zero", "min_keep" },
        { "min_keep negative", "min_keep" },
        { "max_deletes zero", "max_deletes" },
        { "max_deletes negative", "max_deletes" },
        { "volume empty", "volume_id" },
        { "adopt with blank role", "adopt_legacy" },
        { "adopt with empty environment", "adopt_legacy" },
    };

    private static RetentionPolicy Broken(string what) => what switch
    {
        "retention zero" => Policy(retention: TimeSpan.Zero),
        "retention negative" => Policy(retention: TimeSpan.FromSeconds(-1)),
        "min_keep zero" => Policy(minKeep: 0),
        "min_keep negative" => Policy(minKeep: -3),
        "max_deletes zero" => Policy(maxDeletes: 0),
        "max_deletes negative" => Policy(maxDeletes: -1),
        "volume empty" => Policy() with { VolumeId = " " },
        "adopt with blank role" => Policy() with { LegacyTags = Legacy with { Role = " " } },
        "adopt with empty environment" => Policy() with { LegacyTags = Legacy with { Environment = "" } },
        _ => throw new ArgumentOutOfRangeException(nameof(what), what, "unknown case"),
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Planner_refuses_a_bad_policy_even_with_nothing_to_delete(string what, string key)
    {
        var policy = Broken(what);

        var error = Assert.Throws<ArgumentException>(() => RetentionPlanner.Plan([], policy, Now));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_legacy_tags_are_fine_when_not_adopting()
    {
        var policy = Policy(adoptLegacy: false) with { LegacyTags = new LegacyTags("", "", "") };
        var untaggedOld = Make("a", TimeSpan.FromDays(9), ParseTags("role=,schema=,Environment="));

        var decision = RetentionPlanner.Plan([untaggedOld], policy, Now).Find("a")!;

        Assert.Equal(RetentionAction.Keep, decision.Action);
        Assert.Equal(Ownership.Foreign, decision.Ownership);
    }

    [Fact]
    public void Smallest_valid_policy_is_accepted()
    {
        var policy = Policy(retention: TimeSpan.FromTicks(1), minKeep: 1, maxDeletes: 1);

        policy.Validate();

        Assert.Equal(1, policy.MinKeep);
    }

    [Fact]
    public void From_settings_takes_volume_retention_limits_and_legacy_tags()
    {
        var settings = SettingsWith(new RetentionSettings(MinKeep: 4, MaxDeletes: 7, AdoptLegacy: true), TimeSpan.FromSeconds(248760));

        var policy = RetentionPolicy.From(settings);

        Assert.Equal(
            new RetentionPolicy(Volume, TimeSpan.FromSeconds(248760), 4, 7, true, new LegacyTags("mysql-replica", "shop", "production")),
            policy);
    }

    [Fact]
    public void From_settings_refuses_what_the_planner_would_refuse()
    {
        var settings = SettingsWith(new RetentionSettings(MinKeep: 0, MaxDeletes: 7, AdoptLegacy: false), TimeSpan.FromDays(3));

        var error = Assert.Throws<ArgumentException>(() => RetentionPolicy.From(settings));

        Assert.Contains("min_keep", error.Message, StringComparison.Ordinal);
    }

    private static Settings SettingsWith(RetentionSettings retention, TimeSpan retentionPeriod) => new(
        "/etc/offline-backup/config.yml",
        new MySqlSettings("127.0.0.1", "backup", 3306, Secret.Empty, "mysql", TimeSpan.FromSeconds(5)),
        new InstanceSettings("i-0123", Volume, "db-replica-1", "/run/offline-backup.lock", "mysql-replica", "shop", "production", retentionPeriod),
        new AwsSettings("eu-west-1", null),
        new ServiceSettings("systemctl stop mariadb", "systemctl start mariadb", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), null, RestartAfter.Completed, TimeSpan.FromHours(2), TimeSpan.FromSeconds(10)),
        new GuardSettings(TimeSpan.FromHours(3), TimeSpan.FromHours(24), TimeSpan.FromMinutes(30)),
        retention,
        new StateSettings("/var/lib/offline-backup/journal.json"),
        new LoggingSettings(null));
}
