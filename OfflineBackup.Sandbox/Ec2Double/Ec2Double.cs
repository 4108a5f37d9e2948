using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// An EC2 Query API double on 127.0.0.1 (a free port), for the real AWSSDK.EC2 client pointed at
/// <see cref="ServiceUrl"/>. Speaks DescribeSnapshots, CreateSnapshot, DeleteSnapshot, CreateVolume,
/// AttachVolume, DetachVolume, DeleteVolume and DescribeVolumes with EC2's XML, error codes and HTTP
/// statuses, plus DescribeLockedSnapshots, CreateTags and CopySnapshot into a second region added
/// with AddRegion; with a disk store, volumes and snapshots are real images. Tests seed it, steer completion, inject faults and
/// read the call log; all of it is thread-safe against requests in flight.
/// </summary>
public sealed partial class Ec2Double : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SnapshotInventory _inventory;
    private readonly TimeProvider _time;
    private readonly VolumeInventory _volumes;
    private readonly Lock _errorsGate = new();
    private readonly List<Exception> _serverErrors = [];
    private volatile SnapshotCompletion _completion;
    private volatile Func<Ec2Request, CancellationToken, Task>? _onCreateSnapshot;
    private volatile Func<Ec2Request, CancellationToken, Task>? _onRequest;
    private int _maxPageSize;

    private Ec2Double(WebApplication app, Ec2DoubleOptions options)
    {
        _app = app;
        _completion = options.Completion;
        AccountId = options.AccountId;
        _time = options.TimeProvider;
        _inventory = new SnapshotInventory(options.AccountId, options.TimeProvider);
        _volumes = new VolumeInventory(options.TimeProvider, options.Disks);
        Faults = new Ec2FaultPlan(options.AccountId);
        var handler = new Ec2RequestHandler(this, _inventory, _volumes, options.TimeProvider);
        app.Run(handler.HandleAsync);
    }

    /// <summary>Where to point the SDK: <c>AmazonEC2Config.ServiceURL</c>.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>The caller's account: what <c>Owner.N=self</c> selects.</summary>
    public string AccountId { get; }

    public Ec2CallLog Calls { get; } = new();

    public Ec2FaultPlan Faults { get; }

    /// <summary>Completion rule for snapshots created from now on.</summary>
    public SnapshotCompletion Completion
    {
        get => _completion;
        set => _completion = value;
    }

    /// <summary>
    /// When set, a DescribeSnapshots page holds at most this many snapshots even if MaxResults
    /// asks for more, as EC2 itself sometimes answers: a client must follow NextToken, not count.
    /// </summary>
    public int? MaxPageSize
    {
        get => Volatile.Read(ref _maxPageSize) is > 0 and var size ? size : null;
        set => Volatile.Write(ref _maxPageSize, value ?? 0);
    }

    /// <summary>
    /// Runs when a real (not dry-run) CreateSnapshot arrives, before faults and before the
    /// snapshot exists: the moment a run test checks that MySQL is down. An exception thrown
    /// here is answered as InternalError and kept in <see cref="ServerErrors"/>.
    /// </summary>
    public Func<Ec2Request, CancellationToken, Task>? OnCreateSnapshot
    {
        get => _onCreateSnapshot;
        set => _onCreateSnapshot = value;
    }

    /// <summary>
    /// Runs when any real (not dry-run) request arrives, before latency, faults and the action:
    /// a test holds a phase of a caller (its DetachVolume, say) open here with a gate. An
    /// exception thrown here is answered as InternalError and kept in <see cref="ServerErrors"/>.
    /// </summary>
    public Func<Ec2Request, CancellationToken, Task>? OnRequest
    {
        get => _onRequest;
        set => _onRequest = value;
    }

    /// <summary>Unexpected exceptions inside the double (bugs, failing hooks); a passing test expects none.</summary>
    public IReadOnlyList<Exception> ServerErrors
    {
        get
        {
            lock (_errorsGate)
            {
                return _serverErrors.ToList();
            }
        }
    }

    public static async Task<Ec2Double> StartAsync(Ec2DoubleOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new Ec2DoubleOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (options.UntrustedTls)
            {
                listen.UseHttps(Ec2FaultTls.UntrustedCertificate());
            }
        }));
        var app = builder.Build();
        var ec2 = new Ec2Double(app, options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Single()
            ?? throw new InvalidOperationException("Kestrel reported no address for the EC2 double");
        ec2.ServiceUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return ec2;
    }

    /// <summary>A volume CreateSnapshot may snapshot (a record, no image); any other volume id answers InvalidVolume.NotFound.</summary>
    public void AddVolume(string volumeId, int sizeGiB = 100)
    {
        using var held = _volumes.Hold();
        _volumes.Remove(volumeId);
        _volumes.Add(new StoredVolume(volumeId, sizeGiB, VolumeInventory.DefaultZone, null, _volumes.Time.GetUtcNow(), hasImage: false));
    }

    /// <summary>An instance volumes can be attached to; every instance of the double is this host.</summary>
    public void AddInstance(string instanceId, string availabilityZone = VolumeInventory.DefaultZone)
    {
        using var held = _volumes.Hold();
        _volumes.AddInstance(instanceId, availabilityZone);
    }

    /// <summary>
    /// Registers a volume of <see cref="Ec2DoubleOptions.Disks"/> that is already attached on this
    /// host (the replica's data volume) as in use by <paramref name="instanceId"/> at <paramref name="device"/>.
    /// </summary>
    public void AddAttachedVolume(Disks.DataVolume volume, string instanceId, string device = "/dev/sdf")
    {
        if (!ReferenceEquals(volume.Store, Disks))
        {
            throw new InvalidOperationException("the volume lives in another disk store than the double's");
        }

        using var held = _volumes.Hold();
        var zone = _volumes.InstanceZone(instanceId);
        var now = _volumes.Time.GetUtcNow();
        _volumes.Add(new StoredVolume(volume.VolumeId, volume.SizeGiB, zone, null, now, hasImage: true)
        {
            State = "in-use",
            Attachment = new StoredAttachment(instanceId, device, now, volume.Device) { State = "attached" },
        });
    }

    /// <summary>The double's disk store, null when its volumes are records only.</summary>
    public Disks.DiskStore? Disks => _volumes.Disks;

    /// <summary>While true, volumes created from now on stay <c>creating</c> until <see cref="ReleaseVolume"/>.</summary>
    public bool HoldNewVolumes
    {
        get => _volumes.HoldNewVolumes;
        set => _volumes.HoldNewVolumes = value;
    }

    /// <summary>
    /// While true, AttachVolume answers and the volume reports attached, but no device appears on
    /// this host: what a restore must time out on.
    /// </summary>
    public bool WithholdDevices
    {
        get => _volumes.WithholdDevices;
        set => _volumes.WithholdDevices = value;
    }

    /// <summary>Lets a held volume become available at the next DescribeVolumes.</summary>
    public void ReleaseVolume(string volumeId)
    {
        using var held = _volumes.Hold();
        (_volumes.Get(volumeId) ?? throw new KeyNotFoundException($"volume {volumeId} is not in the double")).Held = false;
    }

    public Ec2VolumeView? Volume(string volumeId)
    {
        using var held = _volumes.Hold();
        return _volumes.Get(volumeId)?.ToView();
    }

    public IReadOnlyList<Ec2VolumeView> Volumes()
    {
        using var held = _volumes.Hold();
        return _volumes.All().Select(v => v.ToView()).ToList();
    }

    /// <summary>How a snapshot's image was copied when CreateSnapshot arrived; null for a snapshot without one.</summary>
    public Disks.ImageCopy? SnapshotImage(string snapshotId) => _inventory.ImageOf(snapshotId);

    public void Seed(params IEnumerable<SnapshotSeed> seeds) => _inventory.Seed(seeds);

    public Ec2SnapshotView? Snapshot(string snapshotId) => _inventory.Get(snapshotId);

    public IReadOnlyList<Ec2SnapshotView> Snapshots() => _inventory.All();

    /// <summary>Moves a snapshot to <c>completed</c>, 100%, at once.</summary>
    public void Complete(string snapshotId) => _inventory.Update(snapshotId, s => s.MarkCompleted());

    /// <summary>Moves a snapshot to <c>error</c>, with EC2's status message.</summary>
    public void Fail(string snapshotId, string message = "Snapshot creation failed") =>
        _inventory.Update(snapshotId, s => s.MarkFailed(message));

    /// <summary>Registers the snapshot as backing an AMI: DeleteSnapshot then answers InvalidSnapshot.InUse.</summary>
    public void MarkInUse(string snapshotId, string imageId) =>
        _inventory.Update(snapshotId, s => s.InUseByImageId = imageId);

    public void ReleaseFromImage(string snapshotId) =>
        _inventory.Update(snapshotId, s => s.InUseByImageId = null);

    public async ValueTask DisposeAsync()
    {
        // Bounded: a request parked on injected latency must not hold a test's teardown for long.
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(shutdown.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal void RecordServerError(Exception exception)
    {
        lock (_errorsGate)
        {
            _serverErrors.Add(exception);
        }
    }
}
