using System.Diagnostics;
using System.Globalization;

namespace OfflineBackup.Sandbox.Disks;

/// <summary>
/// Block storage for the sandbox: named volumes (EBS volumes and snapshots of the EC2 double, the
/// replica's data volume) that can be copied, attached, mounted and deleted. In loop mode each is
/// an ext4 image file on an xfs pool made with reflink=1 (itself an image, loop-mounted under the
/// owner's directory), so a copy is a reflink; attaching gives a real /dev/loopN, exposed under
/// <see cref="ByIdDirectory"/> with the name Nitro instances give EBS volumes. In directory mode
/// each is a plain directory and "attached" and "mounted" are symbolic links to it.
/// Everything lives under <see cref="Root"/>; <see cref="DiskReclaim.Release"/> undoes it.
/// </summary>
public sealed partial class DiskStore
{
    public const string ByIdPrefix = "nvme-Amazon_Elastic_Block_Store_";
    private const long PoolBytes = 64L << 30;
    private readonly HashSet<string> _linkMounts = new(StringComparer.Ordinal);

    private DiskStore(string root, DiskMode mode, string? fallbackReason)
    {
        Root = root;
        Mode = mode;
        FallbackReason = fallbackReason;
    }

    public string Root { get; }

    public DiskMode Mode { get; }

    /// <summary>Why directory mode runs when it was not asked for; null otherwise.</summary>
    public string? FallbackReason { get; }

    /// <summary>Where the images (or directories) live: the mounted pool in loop mode.</summary>
    public string ImagesDirectory => Path.Combine(Root, Mode == DiskMode.Loop ? "pool" : "images");

    /// <summary>This sandbox's own /dev/disk/by-id: one link per attached volume.</summary>
    public string ByIdDirectory => Path.Combine(Root, "dev", "disk", "by-id");

    /// <summary>One line for a person: which mode runs, and why when it is not the real one.</summary>
    public string Description => Mode == DiskMode.Loop
        ? "loop mode: ext4 images on a loop-mounted xfs pool (reflink copies), attached as /dev/loopN"
        : "directory mode: plain directory copies, no block devices" + (FallbackReason is null ? "" : $" ({FallbackReason})");

    /// <summary>
    /// Opens a store in <paramref name="root"/>, which must lie inside a directory its caller owns
    /// and cleans up (a SandboxDirectory). Auto takes loop mode when the machine allows it.
    /// </summary>
    public static async Task<DiskStore> OpenAsync(string root, DiskModeRequest requested, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        var request = DiskModes.Resolve(requested);
        string? reason = null;
        if (request != DiskModeRequest.Directory)
        {
            reason = DiskModes.LoopUnavailableReason();
            if (reason is null)
            {
                try
                {
                    await CreatePoolAsync(root, cancellationToken);
                    return Ready(new DiskStore(root, DiskMode.Loop, null));
                }
                catch (DiskException e) when (request == DiskModeRequest.Auto)
                {
                    reason = e.Message;
                    DiskReclaim.Release(root);
                    File.Delete(Path.Combine(root, "pool.img"));
                }
            }

            if (request == DiskModeRequest.Loop)
            {
                throw new DiskException($"loop mode was asked for but is not available: {reason}");
            }
        }
        else
        {
            reason = requested == DiskModeRequest.Directory ? "asked for" : $"forced by {DiskModes.Variable}=directory";
        }

        return Ready(new DiskStore(root, DiskMode.Directory, reason));
    }

    public string PathOf(string name) => Path.Combine(ImagesDirectory, Mode == DiskMode.Loop ? name + ".img" : name);

    public bool Exists(string name) => Mode == DiskMode.Loop ? File.Exists(PathOf(name)) : Directory.Exists(PathOf(name));

    /// <summary>The by-id link of a volume: the volume id without its dash, as the NVMe serial carries it.</summary>
    public string ByIdLink(string volumeId) => Path.Combine(ByIdDirectory, ByIdPrefix + volumeId.Replace("-", "", StringComparison.Ordinal));

    /// <summary>Bytes the volume holds: the image's size, or the directory's total in directory mode.</summary>
    public long SizeBytes(string name) => Mode == DiskMode.Loop
        ? new FileInfo(PathOf(name)).Length
        : new DirectoryInfo(PathOf(name)).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary>A new volume holding an empty ext4 filesystem (an empty directory in directory mode).</summary>
    public async Task CreateFilesystemAsync(string name, int sizeGiB, CancellationToken cancellationToken)
    {
        await CreateBlankAsync(name, sizeGiB, cancellationToken);
        if (Mode == DiskMode.Loop)
        {
            // Journalled, so that a copy taken while it is mounted recovers as a crashed disk would.
            await KernelDisks.RunAsync("mkfs.ext4", ["-q", "-F", "-E", "lazy_itable_init=1,lazy_journal_init=1", PathOf(name)], cancellationToken);
        }
    }

    /// <summary>A new blank volume, as EBS makes one without a snapshot: a sparse image with no filesystem.</summary>
    public Task CreateBlankAsync(string name, int sizeGiB, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RefuseExisting(name);
        if (Mode == DiskMode.Loop)
        {
            using var image = new FileStream(PathOf(name), FileMode.CreateNew, FileAccess.Write);
            image.SetLength((long)sizeGiB << 30);
        }
        else
        {
            Directory.CreateDirectory(PathOf(name));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Copies volume <paramref name="from"/> to a new one, <paramref name="to"/>: a reflink in loop
    /// mode (a sparse copy when the pool cannot reflink), a recursive copy in directory mode.
    /// </summary>
    public async Task<ImageCopy> CopyAsync(string from, string to, CancellationToken cancellationToken)
    {
        if (!Exists(from))
        {
            throw new DiskException($"no volume {from} in {ImagesDirectory}");
        }

        RefuseExisting(to);
        var clock = Stopwatch.StartNew();
        string method;
        if (Mode == DiskMode.Directory)
        {
            await KernelDisks.RunAsync("cp", ["-a", "--reflink=auto", PathOf(from), PathOf(to)], cancellationToken);
            method = "directory";
        }
        else if (Reflink.TryClone(PathOf(from), PathOf(to)))
        {
            method = "reflink";
        }
        else
        {
            File.Delete(PathOf(to));
            await KernelDisks.RunAsync("cp", ["--sparse=always", PathOf(from), PathOf(to)], cancellationToken);
            method = "sparse";
        }

        return new ImageCopy(from, to, method, clock.Elapsed);
    }

    /// <summary>Deletes a volume that is neither attached nor mounted.</summary>
    public void Delete(string name)
    {
        if (AttachedDevice(name) is { } device)
        {
            throw new DiskException($"volume {name} is still attached as {device}");
        }

        if (Mode == DiskMode.Loop)
        {
            File.Delete(PathOf(name));
        }
        else if (Directory.Exists(PathOf(name)))
        {
            Directory.Delete(PathOf(name), recursive: true);
        }
    }

    private static async Task CreatePoolAsync(string root, CancellationToken cancellationToken)
    {
        var image = Path.Combine(root, "pool.img");
        var mountPoint = Path.Combine(root, "pool");
        await using (var file = new FileStream(image, FileMode.CreateNew, FileAccess.Write))
        {
            file.SetLength(PoolBytes);
        }

        // Sparse: the pool takes on disk only what its images hold.
        await KernelDisks.RunAsync("mkfs.xfs", ["-q", "-m", "reflink=1", image], cancellationToken);
        Directory.CreateDirectory(mountPoint);
        await KernelDisks.MountAsync(image, mountPoint, ["-o", "loop"], cancellationToken);
    }

    private static DiskStore Ready(DiskStore store)
    {
        Directory.CreateDirectory(store.ImagesDirectory);
        Directory.CreateDirectory(store.ByIdDirectory);
        return store;
    }

    private void RefuseExisting(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal) || name.StartsWith('.'))
        {
            throw new ArgumentException($"'{name}' is not a volume name");
        }

        if (Exists(name))
        {
            throw new DiskException(string.Create(CultureInfo.InvariantCulture, $"volume {name} already exists in {ImagesDirectory}"));
        }
    }
}
