using System.Text.RegularExpressions;
using OfflineBackup.Metrics;
using OfflineBackup.Tests.Sandbox;
using YamlDotNet.RepresentationModel;

namespace OfflineBackup.Tests.Integration.Metrics;

/// <summary>
/// deploy/prometheus: the shipped alert rules pass promtool's check and their unit tests, and
/// those tests have teeth: a rule that never fires, or one that fires on a healthy day, fails them.
/// </summary>
public sealed partial class AlertRulesTests : IDisposable
{
    private const string RulesFile = "offline-backup.rules.yml";
    private const string TestFile = "offline-backup.rules.test.yml";

    private readonly TempDirectory _directory = new();

    public static TheoryData<string> Alerts => new(Rules().Select(r => r.Alert));

    [Fact]
    public async Task Promtool_accepts_the_rules_and_their_tests_pass()
    {
        var check = await Promtool.CheckRulesAsync(Shipped(RulesFile));
        Assert.True(check.Succeeded, check.StandardOutput + check.StandardError);
        Assert.Contains($"SUCCESS: {Rules().Count} rules found", check.StandardOutput + check.StandardError);

        var test = await Promtool.TestRulesAsync(Shipped(TestFile));
        Assert.True(test.Succeeded, test.StandardOutput + test.StandardError);
    }

    [Theory]
    [MemberData(nameof(Alerts))]
    public async Task The_tests_fail_when_the_alert_never_fires(string alert)
    {
        var result = await TestWithExprAsync(alert, "vector(0) > 1");

        Assert.False(result.Succeeded, $"the tests pass with {alert} never firing");
        Assert.Contains($"alertname: {alert}", result.StandardOutput + result.StandardError);
    }

    [Theory]
    [MemberData(nameof(Alerts))]
    public async Task The_tests_fail_when_the_alert_fires_on_a_healthy_day(string alert)
    {
        // Fires for every volume that reports anything at all, healthy or not.
        var result = await TestWithExprAsync(alert, "offline_backup_min_snapshot_age_seconds > 0");

        Assert.False(result.Succeeded, $"the tests pass with {alert} firing on a healthy day");
        Assert.Contains("name: healthy day", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public void Every_alert_has_a_summary_a_description_and_a_runbook_heading_in_the_readme()
    {
        var readme = File.ReadAllLines(RepositoryFiles.Path("README.md"));
        var anchors = readme.Where(l => l.StartsWith('#')).Select(Anchor).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("monitoring", anchors);

        foreach (var (alert, _, annotations) in Rules())
        {
            Assert.False(string.IsNullOrWhiteSpace(annotations.GetValueOrDefault("summary")), $"{alert} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(annotations.GetValueOrDefault("description")), $"{alert} has no description");
            var runbook = annotations.GetValueOrDefault("runbook_url") ?? string.Empty;
            Assert.StartsWith("README.md#", runbook, StringComparison.Ordinal);
            Assert.Contains(runbook["README.md#".Length..], anchors);
        }
    }

    [Fact]
    public void The_rules_and_their_tests_use_only_metrics_the_tool_writes()
    {
        var names = MetricName().Matches(File.ReadAllText(Shipped(RulesFile)) + File.ReadAllText(Shipped(TestFile)))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.NotNull(MetricCatalog.Find(name)));
    }

    public void Dispose() => _directory.Dispose();

    private async Task<CommandResult> TestWithExprAsync(string alert, string expr)
    {
        var original = Rules().Single(r => r.Alert == alert).Expr;
        var rules = File.ReadAllText(Shipped(RulesFile));
        var line = $"        expr: {original}\n";
        Assert.Contains(line, rules, StringComparison.Ordinal);
        File.WriteAllText(_directory.File(RulesFile), rules.Replace(line, $"        expr: {expr}\n", StringComparison.Ordinal));
        File.Copy(Shipped(TestFile), _directory.File(TestFile));
        return await Promtool.TestRulesAsync(_directory.File(TestFile));
    }

    private static string Shipped(string name) => RepositoryFiles.Path(Path.Combine("deploy", "prometheus", name));

    private static List<(string Alert, string Expr, Dictionary<string, string> Annotations)> Rules()
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Shipped(RulesFile))))
        {
            yaml.Load(reader);
        }

        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
        return groups.Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())
            .Select(r => (
                r["alert"].ToString(),
                r["expr"].ToString(),
                ((YamlMappingNode)r["annotations"]).ToDictionary(a => a.Key.ToString(), a => a.Value.ToString(), StringComparer.Ordinal)))
            .ToList();
    }

    // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    private static string Anchor(string heading) =>
        AnchorDrop().Replace(heading.TrimStart('#').Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-');

    [GeneratedRegex(@"offline_backup_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"[^a-z0-9 _-]")]
    private static partial Regex AnchorDrop();
}
