using OfflineBackup.Metrics;

namespace OfflineBackup.Tests.Unit.Metrics;

/// <summary>
/// A metrics file through a sequence of invocations, each one read back from the rendered text
/// of the one before, exactly as the tool carries values over between processes.
/// </summary>
internal sealed class MetricsFileHistory(Settings settings)
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public Settings Settings { get; } = settings;

    public string Text { get; private set; } = string.Empty;

    public MetricSet Values => TextfileParser.Parse(Text, Settings.Instance.VolumeId, Settings.Instance.InstanceId);

    public static MetricsFileHistory Create(Func<Settings, Settings>? configure = null)
    {
        var settings = TestSettings.Create("/tmp/metrics-unit");
        return new MetricsFileHistory(configure is null ? settings : configure(settings));
    }

    public async Task<MetricSet> InvokeAsync(string command, int exitCode, DateTimeOffset at, Action<InvocationFacts>? learn = null)
    {
        var facts = new InvocationFacts();
        learn?.Invoke(facts);
        var set = Values;
        MetricsUpdate.Apply(set, Settings, command, facts, exitCode, at);
        Text = System.Text.Encoding.UTF8.GetString(
            await TextfileRenderer.RenderAsync(set, Settings.Instance.VolumeId, Settings.Instance.InstanceId, CancellationToken.None));
        return Values;
    }

    public static GuardResult Passed(string guard) => GuardResult.Pass(guard, "fine");

    public static GuardResult NotDue() => GuardResult.Refuse("age", 4, "not due");

    public Snapshot Ours(string id, DateTimeOffset start, SnapshotState state = SnapshotState.Completed) =>
        new(id, Settings.Instance.VolumeId, state, "100%", start, 200, "ours",
            SnapshotRequests.For(Settings.Instance, "run-" + id, "db1", start).Tags);

    public Snapshot Foreign(string id, DateTimeOffset start, SnapshotState state = SnapshotState.Completed) =>
        new(id, Settings.Instance.VolumeId, state, "100%", start, 200, "by hand", new Dictionary<string, string>());

    public Snapshot Legacy(string id, DateTimeOffset start) =>
        new(id, Settings.Instance.VolumeId, SnapshotState.Completed, "100%", start, 200, "old tool", new Dictionary<string, string>
        {
            [ToolTags.Role] = Settings.Instance.TagRole,
            [ToolTags.Schema] = Settings.Instance.TagSchema,
            [ToolTags.Environment] = Settings.Instance.TagEnvironment,
        });
}
