using System.Diagnostics;

namespace OfflineBackup.Tests.Support;

/// <summary>
/// Debian's prometheus-node-exporter on a loopback port with only the textfile collector,
/// reading a test's directory. Killed on dispose, however the test ends.
/// </summary>
internal sealed class NodeExporter : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process _process;

    private NodeExporter(Process process, Uri metrics)
    {
        _process = process;
        MetricsUrl = metrics;
    }

    public Uri MetricsUrl { get; }

    /// <summary>Starts it and waits until /metrics answers; a port taken in between is retried with another.</summary>
    public static async Task<NodeExporter> StartAsync(string textfileDirectory)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Pick();
            var start = new ProcessStartInfo("prometheus-node-exporter")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                $"--web.listen-address=127.0.0.1:{port}",
                "--collector.disable-defaults",
                "--collector.textfile",
                $"--collector.textfile.directory={textfileDirectory}",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus-node-exporter");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var exporter = new NodeExporter(process, new Uri($"http://127.0.0.1:{port}/metrics"));
            if (await exporter.AnswersAsync())
            {
                return exporter;
            }

            exporter.Dispose();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"prometheus-node-exporter did not answer on 127.0.0.1:{port}");
            }
        }
    }

    public Task<string> ScrapeAsync() => Http.GetStringAsync(MetricsUrl);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    // Readiness, not a test phase: up to 30 s for the listener under a loaded machine.
    private async Task<bool> AnswersAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await Http.GetAsync(MetricsUrl);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        return false;
    }
}
