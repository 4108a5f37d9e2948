namespace OfflineBackup.Tests.Integration.Faults;

/// <summary>
/// The real SDK's own credential and region resolution, and an EC2 that is not there: the
/// built binary on a bare host. Every command answers with a code and a sentence, fast, and a
/// command that could not list prints neither an inventory nor a plan.
/// </summary>
[Collection(MariaDbBareHostCollection.Name)]
public sealed class BareHostAwsTests(MariaDbPairFixture fixture)
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(20);

    private MariaDbReplicationPair Pair => fixture.Pair;

    [Fact]
    public async Task No_credentials_on_a_bare_host_is_exit_11_naming_the_sources_and_the_fix_in_every_command()
    {
        await using var world = await TestWorld.StartAsync(Pair);

        var (check, checkTook) = await BareHost.RunAsync(world, null, "check");
        var (list, _) = await BareHost.RunAsync(world, null, "list");
        var (prune, _) = await BareHost.RunAsync(world, null, "prune");

        Assert.True(check.ExitCode == ExitCodes.PermissionDenied, check.ToString());
        BareHost.AssertEveryGuardLine(check);
        Assert.Contains("no usable AWS credentials", check.Output);
        Assert.Contains("instance profile", check.Output);
        Assert.Contains("AWS_ACCESS_KEY_ID", check.Output);
        Assert.True(checkTook < Quick, $"check took {checkTook}");
        Assert.True(list.ExitCode == ExitCodes.PermissionDenied, list.ToString());
        Assert.Contains("instance profile (an IAM role) carrying the policy in the README", list.Error);
        Assert.DoesNotContain("internal error", list.Error);
        Assert.Equal(string.Empty, list.Output);
        Assert.True(prune.ExitCode == ExitCodes.PermissionDenied, prune.ToString());
        Assert.DoesNotContain("snapshots", prune.Output);
        Assert.Empty(world.Ec2.Calls.All);
    }

    [Fact]
    public async Task No_region_is_exit_2_naming_aws_region_and_AWS_REGION()
    {
        await using var world = await TestWorld.StartAsync(Pair, c => c with { Region = null, Ec2Endpoint = null });

        var (list, took) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "list");
        var (check, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "check");

        AssertListRefusedFast(list, took, ExitCodes.BadConfiguration, "aws.region", "AWS_REGION");
        Assert.True(check.ExitCode == ExitCodes.BadConfiguration, check.ToString());
        BareHost.AssertEveryGuardLine(check);
    }

    [Fact]
    public async Task A_refused_connection_is_exit_13_in_every_command_and_nothing_is_listed()
    {
        var closed = FreePort.Pick();
        await using var world = await TestWorld.StartAsync(Pair, c => c with { Ec2Endpoint = new Uri($"http://127.0.0.1:{closed}/") });

        var (list, took) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "list");
        var (prune, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "prune");
        var (check, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "check");
        var (dryRun, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run", "--dry-run");

        AssertListRefusedFast(list, took, ExitCodes.Ec2Unreachable, "EC2 unreachable", "Connection refused");
        Assert.True(prune.ExitCode == ExitCodes.Ec2Unreachable, prune.ToString());
        Assert.DoesNotContain("0 snapshots", prune.Output);
        Assert.Single(prune.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("EC2 unreachable", StringComparison.Ordinal));
        Assert.True(check.ExitCode == ExitCodes.Ec2Unreachable, check.ToString());
        BareHost.AssertEveryGuardLine(check);
        Assert.True(dryRun.ExitCode == ExitCodes.Ec2Unreachable, dryRun.ToString());
        Assert.DoesNotContain("a real run would now", dryRun.Output);

        // A real run touches nothing; once EC2 is reachable again the next run takes one snapshot.
        var stopped = world.Files.Path("stopped");
        await world.RewriteAsync(c => c with
        {
            Ec2Endpoint = new Uri($"http://127.0.0.1:{closed}/"),
            StopCommand = $"touch {stopped}; {ServiceCommands.Stop(Pair.Replica)}",
        });
        var (run, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(run.ExitCode == ExitCodes.Ec2Unreachable, run.ToString());
        Assert.False(File.Exists(stopped), "MySQL was stopped though EC2 could not be reached");
        Assert.False(File.Exists(world.Files.Journal));
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));

        await world.RewriteAsync(c => c);
        var (next, _) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
        Assert.Single(world.Ec2.Snapshots());
        Assert.False(File.Exists(world.Files.Journal));
        Assert.True(await world.ReplicationRunsAsync());
    }

    [Fact]
    public async Task A_certificate_nobody_trusts_is_exit_13_with_the_inner_cause()
    {
        await using var tls = await Ec2Double.StartAsync(new Ec2DoubleOptions { UntrustedTls = true });
        await using var world = await TestWorld.StartAsync(Pair, c => c with { Ec2Endpoint = tls.ServiceUrl });

        var (list, took) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "list");

        Assert.StartsWith("https://", tls.ServiceUrl.ToString(), StringComparison.Ordinal);
        Assert.True(list.ExitCode == ExitCodes.Ec2Unreachable, list.ToString());
        Assert.Contains("SSL connection could not be established", list.Error);
        Assert.Contains("certificate", list.Error[list.Error.IndexOf("SSL connection", StringComparison.Ordinal)..]);
        Assert.True(took < Quick, $"list took {took}");
        Assert.Empty(tls.Calls.All);
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_is_exit_13_within_the_configured_bound()
    {
        await using var world = await TestWorld.StartAsync(Pair, c => c with { RequestTimeoutSeconds = 2, MaxAttempts = 2 });
        world.Ec2.Faults.BreakAlways(Ec2FaultPlan.AnyAction, Ec2NetworkFault.NeverAnswer);

        var (list, listTook) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "list");
        var (check, checkTook) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "check");
        var (prune, pruneTook) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "prune");
        var (run, runTook) = await BareHost.RunAsync(world, BareHost.DummyCredentials, "run");

        // 2 attempts of 2 s, less a sixth kept for the rest of the command: 3.3 s per command, as
        // the tool's own message says. The wall bound is generous (a loaded machine took 13.8 s
        // to start, check and stop the process) and still well under the ~50 s of the defaults.
        Assert.True(list.ExitCode == ExitCodes.Ec2Unreachable, list.ToString());
        Assert.Contains("no answer within 3s (2 attempt(s) of at most 2s)", list.Error);
        Assert.True(listTook < Quick, $"list took {listTook}");
        Assert.True(check.ExitCode == ExitCodes.Ec2Unreachable, check.ToString());
        BareHost.AssertEveryGuardLine(check);
        Assert.True(checkTook < Quick, $"check took {checkTook}");
        Assert.True(prune.ExitCode == ExitCodes.Ec2Unreachable, prune.ToString());
        Assert.DoesNotContain("0 snapshots", prune.Output);
        Assert.True(pruneTook < Quick, $"prune took {pruneTook}");
        Assert.True(run.ExitCode == ExitCodes.Ec2Unreachable, run.ToString());
        Assert.True(runTook < Quick, $"run took {runTook}");
        Assert.Empty(world.PortClosedAtCreate);
        Assert.False(File.Exists(world.Files.Journal));
        Assert.True(await Pair.IsReplicaUpAsync(CancellationToken.None));
    }

    [Fact]
    public async Task With_the_default_settings_every_command_answers_within_a_minute_when_EC2_never_does()
    {
        await using var world = await TestWorld.StartAsync(Pair);
        world.Ec2.Faults.BreakAlways(Ec2FaultPlan.AnyAction, Ec2NetworkFault.NeverAnswer);

        // Side by side, so the suite waits one minute, not four. prune takes the lock, which
        // check and the dry run look at: it gets a config of its own with another lock file.
        var pruneConfig = world.Files.Path("prune.yml");
        await (world.Config with { LockFile = world.Files.Path("prune.lock") }).WriteAsync(pruneConfig, CancellationToken.None);
        string[][] commands = [["check"], ["list"], ["prune"], ["run", "--dry-run"]];
        var results = await Task.WhenAll(commands.Select(args => BareHost.RunAsync(
            world, args[0] == "prune" ? pruneConfig : world.Files.Config, BareHost.DummyCredentials, args)));

        foreach (var (args, (result, took)) in commands.Zip(results))
        {
            Assert.True(result.ExitCode == ExitCodes.Ec2Unreachable, $"{string.Join(' ', args)}: {result}");
            Assert.True(took < TimeSpan.FromSeconds(60), $"{string.Join(' ', args)} took {took}");
        }

        BareHost.AssertEveryGuardLine(results[0].Result);
    }

    /// <summary>list refused within <see cref="Quick"/> with <paramref name="exitCode"/>, its error saying each of <paramref name="says"/>, and no inventory printed.</summary>
    private static void AssertListRefusedFast(CliResult list, TimeSpan took, int exitCode, params string[] says)
    {
        Assert.True(list.ExitCode == exitCode, list.ToString());
        Assert.All(says, text => Assert.Contains(text, list.Error));
        Assert.Equal(string.Empty, list.Output);
        Assert.True(took < Quick, $"list took {took}");
    }
}
