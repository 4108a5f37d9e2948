namespace OfflineBackup.Tests.Sandbox;

/// <summary>
/// The one process runner (<see cref="ChildProcess"/>, <see cref="ToolProcess"/>) and the file
/// gate, which the signal, sandbox and bench code all stand on: on small shell scripts, so a
/// failure points here and not at the tool.
/// </summary>
public sealed class ChildProcessTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Both_streams_are_kept_apart_and_together()
    {
        using var child = ChildProcess.Start("/bin/sh", ["-c", "echo out; echo err >&2; echo done"]);

        Assert.Equal("done", await child.WaitForLineAsync(line => line.StartsWith("do", StringComparison.Ordinal), Limit));
        Assert.Equal(0, await child.WaitAsync(Limit));
        Assert.Equal("out\ndone\n", child.StandardOutput);
        Assert.Equal("err\n", child.StandardError);
        // Two pipes: which of them is read first is up to the scheduler; within one, the order holds.
        var together = child.Output.Split('\n');
        Assert.Equal(["done", "err", "out"], together.Order(StringComparer.Ordinal));
        Assert.True(Array.IndexOf(together, "out") < Array.IndexOf(together, "done"), child.Output);
    }

    [Fact]
    public async Task Waiting_for_a_line_fails_at_once_when_the_program_exits_without_it()
    {
        using var child = ChildProcess.Start("/bin/sh", ["-c", "echo bye; exit 3"]);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => child.WaitForLineAsync(line => line == "hello", Limit));

        Assert.Contains("exited 3", failure.Message);
        Assert.Contains("bye", failure.Message);
    }

    [Fact]
    public async Task A_signal_reaches_the_program()
    {
        using var child = ChildProcess.Start("/bin/sh", ["-c", "trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 0.05; done"]);
        await child.WaitForLineAsync(line => line == "ready", Limit);

        child.Signal(Signals.Term);

        Assert.Equal(7, await child.WaitAsync(Limit));
        Assert.Contains("got TERM", child.StandardOutput);
    }

    [Fact]
    public async Task A_cancelled_run_leaves_nothing_running()
    {
        var pidFile = _directory.File("pid");
        using var cancel = new CancellationTokenSource();
        var run = ChildProcess.RunShellAsync($"echo $$ > {pidFile}; exec sleep 600", cancel.Token);
        using (var wait = ChildProcess.Start("/bin/sh", ["-c", $"while [ ! -s {pidFile} ]; do sleep 0.02; done"]))
        {
            Assert.Equal(0, await wait.WaitAsync(Limit));
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(SandboxProcesses.IsAlive(pid), $"PID {pid} still runs");
    }

    [Fact]
    public async Task A_file_gate_holds_a_shell_command_until_it_is_released()
    {
        using var gate = new FileGate(_directory.Path, "phase");
        using var child = ChildProcess.Start("/bin/sh", ["-c", $"{gate.Hold}; echo passed"]);

        await gate.ReachedAsync(Limit);
        Assert.False(child.HasExited);
        Assert.Equal(string.Empty, child.StandardOutput);
        gate.Release();

        Assert.Equal(0, await child.WaitAsync(Limit));
        Assert.Equal("passed\n", child.StandardOutput);
    }

    [Fact]
    public async Task The_tool_is_started_with_dummy_aws_credentials_no_metadata_and_the_log_given()
    {
        var log = _directory.File("tool.log");
        using var env = new ToolProcess("/usr/bin/env") { LogFile = log }.Start([]);

        Assert.Equal(0, await env.WaitAsync(Limit));
        var variables = env.StandardOutput.Split('\n');
        Assert.Contains($"AWS_ACCESS_KEY_ID={DummyAws.AccessKeyId}", variables);
        Assert.Contains($"AWS_SECRET_ACCESS_KEY={DummyAws.SecretAccessKey}", variables);
        Assert.Contains("AWS_EC2_METADATA_DISABLED=true", variables);
        Assert.Contains($"OFFLINE_BACKUP_LOG_FILE={log}", variables);
    }

    [Fact]
    public async Task Without_the_callers_environment_the_tool_gets_path_the_dummy_aws_variables_and_diagnostics_off_only()
    {
        using var env = new ToolProcess("/usr/bin/env") { InheritEnvironment = false }.Start([]);

        Assert.Equal(0, await env.WaitAsync(Limit));
        var names = env.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')[0]);
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_EC2_METADATA_DISABLED", "AWS_SECRET_ACCESS_KEY", "DOTNET_EnableDiagnostics", "PATH"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_caller_that_names_the_diagnostics_variable_keeps_its_value()
    {
        using var env = ChildProcess.Start("/usr/bin/env", [], [new("DOTNET_EnableDiagnostics", "1")], inheritEnvironment: false);

        Assert.Equal(0, await env.WaitAsync(Limit));
        Assert.Equal("DOTNET_EnableDiagnostics=1", env.StandardOutput.Trim());
    }

    public void Dispose() => _directory.Dispose();
}
