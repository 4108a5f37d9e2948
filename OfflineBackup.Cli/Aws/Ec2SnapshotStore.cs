using Amazon.EC2;
using Amazon.EC2.Model;
using NLog;
using OfflineBackup.Configuration;
using OfflineBackup.Errors;

namespace OfflineBackup.Aws;

/// <summary>
/// <see cref="ISnapshotStore"/> over AWSSDK.EC2. Every failure leaves as <see cref="Ec2OperationException"/>
/// (exit 11 or 8) after the SDK's retries; retrying a per-volume rate limit and resolving an
/// ambiguous CreateSnapshot are the run step's business, not this class's.
/// </summary>
public sealed partial class Ec2SnapshotStore : ISnapshotStore
{
    private const int PageSize = 1000;
    private const string DryRunOperation = "DryRunOperation";
    private const string UnauthorizedOperation = "UnauthorizedOperation";

    /// <summary>Kept for the rest of a command (start-up, MySQL, output): at most a sixth of the budget.</summary>
    private static readonly TimeSpan CommandOverhead = TimeSpan.FromSeconds(10);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly Lazy<IAmazonEC2> _ec2;
    private readonly Func<IAmazonEC2>? _connectForCreate;
    private readonly string? _endpoint;
    private readonly TimeSpan _callBudget;
    private readonly string _budgetText;
    private Ec2OperationException? _silent;

    /// <summary>Over an already built client (tests), with no budget beyond the SDK's own.</summary>
    public Ec2SnapshotStore(IAmazonEC2 ec2)
    {
        _ec2 = new Lazy<IAmazonEC2>(ec2);
        _callBudget = Timeout.InfiniteTimeSpan;
        _budgetText = "the SDK's limits";
    }

    /// <summary>
    /// Builds the client on the first call, so that a missing region or credentials (which
    /// AWSSDK.EC2 4.x finds out in the client's constructor) fail that call with a code. The
    /// each EC2 call gives up after max_attempts ×
    /// request_timeout less a sixth (at most 10 s) for the rest of the command: with the
    /// defaults, 50 s. The first call that gets no answer in time makes the later calls of
    /// the store fail at once, so every command answers within a minute when EC2 does not.
    /// (Per call, not per command: a run's completion wait and retention are EC2 calls too.)
    /// </summary>
    /// <param name="connectForCreate">A client for one real CreateSnapshot (see <see cref="Ec2ClientFactory.CreateForOneCreate"/>).</param>
    public Ec2SnapshotStore(Func<IAmazonEC2> connect, AwsSettings settings, Func<IAmazonEC2>? connectForCreate = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _ec2 = new Lazy<IAmazonEC2>(connect);
        _connectForCreate = connectForCreate;
        _endpoint = settings.EndpointUrl?.ToString() ?? (settings.Region is { } region ? $"EC2 in {region}" : null);
        var all = settings.RequestTimeout * settings.MaxAttempts;
        _callBudget = all - TimeSpan.FromTicks(Math.Min(CommandOverhead.Ticks, all.Ticks / 6));
        _budgetText = $"{_callBudget.TotalSeconds:0}s ({settings.MaxAttempts} attempt(s) of at most {settings.RequestTimeout.TotalSeconds:0}s)";
    }

    private IAmazonEC2 Client => _ec2.Value;

    public Task<IReadOnlyList<Snapshot>> ListVolumeSnapshotsAsync(string volumeId, CancellationToken cancellationToken) =>
        DescribeAllAsync(volumeId, [Filter("volume-id", volumeId)], cancellationToken);

    public async Task<Snapshot?> FindSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        var request = new DescribeSnapshotsRequest { SnapshotIds = [snapshotId], OwnerIds = ["self"] };
        var response = await CallAsync("DescribeSnapshots", async token =>
        {
            try
            {
                return await Client.DescribeSnapshotsAsync(request, token).ConfigureAwait(false);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidSnapshot.NotFound")
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);

        return response?.Snapshots?.Where(s => s.SnapshotId == snapshotId).Select(SnapshotMapping.ToSnapshot).FirstOrDefault();
    }

    public async Task<Snapshot?> FindByRunIdAsync(string volumeId, string runId, CancellationToken cancellationToken)
    {
        var found = await DescribeAllAsync(
            volumeId, [Filter("volume-id", volumeId), Filter("tag:" + ToolTags.RunId, runId)], cancellationToken)
            .ConfigureAwait(false);
        var matches = found.Where(s => s.Tag(ToolTags.RunId) == runId).OrderByDescending(s => s.StartTime).ToList();
        if (matches.Count > 1)
        {
            Log.Warn("{Count} snapshots of {Volume} carry run id {RunId}: {Ids}; using the newest",
                matches.Count, volumeId, runId, string.Join(", ", matches.Select(s => s.Id)));
        }

        return matches.FirstOrDefault();
    }

    public async Task<Snapshot> CreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            "CreateSnapshot",
            token => SendOnceAsync((ec2, t) => ec2.CreateSnapshotAsync(ToCreateRequest(request, dryRun: false), t), token),
            cancellationToken).ConfigureAwait(false);
        return SnapshotMapping.ToSnapshot(response.Snapshot
            ?? throw new BackupException(ExitCodes.SnapshotFailed, $"EC2 answered CreateSnapshot on {request.VolumeId} without a snapshot"));
    }

    public Task<DeleteResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        CallAsync("DeleteSnapshot", async token =>
        {
            try
            {
                await Client.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, token)
                    .ConfigureAwait(false);
                return new DeleteResult(snapshotId, DeleteOutcome.Deleted, "deleted");
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidSnapshot.NotFound")
            {
                return new DeleteResult(snapshotId, DeleteOutcome.AlreadyGone, e.Message);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidSnapshot.InUse")
            {
                return new DeleteResult(snapshotId, DeleteOutcome.InUse, e.Message);
            }
        }, cancellationToken);

    public Task<PermissionProbe> ProbeCreateSnapshotAsync(NewSnapshot request, CancellationToken cancellationToken) =>
        ProbeAsync("CreateSnapshot", async token =>
        {
            var response = await Client.CreateSnapshotAsync(ToCreateRequest(request, dryRun: true), token).ConfigureAwait(false);
            return response.Snapshot?.SnapshotId;
        }, cancellationToken);

    public Task<PermissionProbe> ProbeDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        ProbeAsync("DeleteSnapshot", async token =>
        {
            await Client.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId, DryRun = true }, token)
                .ConfigureAwait(false);
            return snapshotId;
        }, cancellationToken);

    /// <summary>Owned snapshots of one volume matching the filters, every page of them.</summary>
    private Task<IReadOnlyList<Snapshot>> DescribeAllAsync(string volumeId, List<Filter> filters, CancellationToken cancellationToken) =>
        // Belt and braces for retention: only the asked-for volume, whatever the filter did.
        DescribeAllAsync(filters, volumeId, s => s.VolumeId == volumeId, cancellationToken);

    /// <summary>
    /// Owned snapshots matching the filters, every page of them, keeping only those
    /// <paramref name="keep"/> accepts; <paramref name="listing"/> names what is listed in errors.
    /// </summary>
    private async Task<IReadOnlyList<Snapshot>> DescribeAllAsync(
        List<Filter> filters, string listing, Func<Snapshot, bool> keep, CancellationToken cancellationToken)
    {
        var snapshots = new List<Snapshot>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? nextToken = null;
        do
        {
            var request = new DescribeSnapshotsRequest
            {
                OwnerIds = ["self"],
                Filters = filters,
                MaxResults = PageSize,
                NextToken = nextToken,
            };
            var page = await CallAsync(
                "DescribeSnapshots", token => Client.DescribeSnapshotsAsync(request, token), cancellationToken)
                .ConfigureAwait(false);

            snapshots.AddRange((page.Snapshots ?? []).Select(SnapshotMapping.ToSnapshot).Where(keep));
            nextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            if (nextToken is not null && !seenTokens.Add(nextToken))
            {
                throw new BackupException(ExitCodes.SnapshotFailed,
                    $"ec2:DescribeSnapshots returned the same NextToken twice while listing {listing}; stopping");
            }
        }
        while (nextToken is not null);

        return snapshots;
    }

    private async Task<PermissionProbe> ProbeAsync(
        string action, Func<CancellationToken, Task<string?>> dryRun, CancellationToken cancellationToken)
    {
        var outcome = await CallAsync(action, async token =>
        {
            try
            {
                var created = await dryRun(token).ConfigureAwait(false);

                // EC2 never answers a dry run with success; if it did, something real may now exist.
                throw new BackupException(ExitCodes.SnapshotFailed,
                    $"ec2:{action} dry run was carried out instead of refused (resource: {created ?? "unknown"}); check the account by hand");
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == DryRunOperation)
            {
                return new PermissionProbe($"ec2:{action}", ProbeOutcome.Allowed, e.Message);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == UnauthorizedOperation)
            {
                return new PermissionProbe($"ec2:{action}", ProbeOutcome.Denied, $"ec2:{action} denied: {e.Message}");
            }
        }, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private async Task<T> CallAsync<T>(string action, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        // EC2 already failed to answer within the budget in this command: waiting again would
        // only double the time before the DBA hears it.
        if (_silent is { } silent)
        {
            throw new Ec2OperationException(silent.ExitCode, action, null, null,
                $"ec2:{action} not tried: {silent.Message}", silent);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_callBudget);
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            var timedOut = new Ec2OperationException(ExitCodes.Ec2Unreachable, action, null, null,
                $"ec2:{action}: EC2 unreachable{(_endpoint is null ? string.Empty : $" at {_endpoint}")}: no answer within {_budgetText}", e);
            _silent = timedOut;
            throw timedOut;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Ec2ErrorMapper.Map(action, e, _endpoint) is { } mapped)
        {
            if (e is TimeoutException || e.InnerException is TimeoutException)
            {
                _silent = mapped;
            }

            throw mapped;
        }
    }

    /// <summary>
    /// A call with no idempotency token (a real CreateSnapshot or CopySnapshot), on a client of
    /// its own when one is given: never re-sent by the SDK, not even on a stale connection.
    /// </summary>
    private async Task<T> SendOnceAsync<T>(Func<IAmazonEC2, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (_connectForCreate is null)
        {
            return await call(Client, cancellationToken).ConfigureAwait(false);
        }

        using var own = _connectForCreate();
        return await call(own, cancellationToken).ConfigureAwait(false);
    }

    private static CreateSnapshotRequest ToCreateRequest(NewSnapshot request, bool dryRun) => new()
    {
        VolumeId = request.VolumeId,
        Description = request.Description,
        DryRun = dryRun ? true : null,
        TagSpecifications = request.Tags.Count == 0
            ? null
            : [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = SnapshotMapping.ToTags(request.Tags) }],
    };

    private static Filter Filter(string name, string value) => new() { Name = name, Values = [value] };
}
