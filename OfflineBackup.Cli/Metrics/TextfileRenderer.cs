using Prometheus;

namespace OfflineBackup.Metrics;

/// <summary>
/// Renders the values in the Prometheus text format through prometheus-net: a custom registry
/// per file (the default one would add the process's own metrics, which are node_exporter's
/// business), gauges that publish only what was set, volume_id and instance_id as static labels.
/// </summary>
public static class TextfileRenderer
{
    public static async Task<byte[]> RenderAsync(MetricSet set, string volumeId, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(registry).WithLabels(new Dictionary<string, string>
        {
            [MetricCatalog.VolumeLabel] = volumeId,
            [MetricCatalog.InstanceLabel] = instanceId,
        });

        // Every family is declared, set or not, so the file always says what it can hold.
        var gauges = MetricCatalog.All.ToDictionary(
            f => f,
            f => factory.CreateGauge(f.Name, f.Help, new GaugeConfiguration { LabelNames = f.Labels, SuppressInitialValue = true }));
        foreach (var sample in set.Samples)
        {
            var gauge = gauges[sample.Family];
            if (sample.Labels.Count == 0)
            {
                gauge.Set(sample.Value);
            }
            else
            {
                gauge.WithLabels(sample.Labels.Select(l => l.Value).ToArray()).Set(sample.Value);
            }
        }

        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, cancellationToken);
        return stream.ToArray();
    }
}
