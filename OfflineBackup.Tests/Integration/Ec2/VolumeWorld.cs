using Amazon.EC2;
using Amazon.Runtime;

namespace OfflineBackup.Tests.Integration.Ec2;

/// <summary>
/// An EC2 double with a disk store, one instance, and a data volume attached to it and mounted
/// (what the replica's volume is in the sandbox), with the real SDK client pointed at the double.
/// </summary>
internal sealed class VolumeWorld(ScratchDisks scratch, DataVolume data, Ec2Double ec2, AmazonEC2Client client) : IAsyncDisposable
{
    public const string Instance = "i-0123456789abcdef0";
    public const string DataVolumeId = "vol-0123456789abcdef0";

    public ScratchDisks Scratch { get; } = scratch;

    public DataVolume Data { get; } = data;

    public Ec2Double Ec2 { get; } = ec2;

    public AmazonEC2Client Client { get; } = client;

    public DiskStore Disks => Scratch.Store;

    public static async Task<VolumeWorld> StartAsync(DiskModeRequest mode)
    {
        var scratch = await ScratchDisks.CreateAsync(mode, CancellationToken.None);
        try
        {
            var data = await DataVolume.CreateAsync(
                scratch.Store, new DataVolumeOptions { VolumeId = DataVolumeId, SizeGiB = 1 }, scratch.Path("data"), CancellationToken.None);
            var ec2 = await Ec2Double.StartAsync(new Ec2DoubleOptions { Disks = scratch.Store });
            ec2.AddInstance(Instance);
            ec2.AddAttachedVolume(data, Instance);
            var client = Ec2Harness.CreateClient(ec2, new BasicAWSCredentials("AKIDEXAMPLE", "not-a-real-secret"));
            return new VolumeWorld(scratch, data, ec2, client);
        }
        catch
        {
            await scratch.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a file on the data volume and flushes it to the device: a snapshot holds what the device holds.</summary>
    public async Task WriteAsync(string name, string text)
    {
        await File.WriteAllTextAsync(Path.Combine(Data.MountPoint, name), text);
        var sync = await ChildProcess.RunAsync("sync", ["--file-system", Data.MountPoint], CancellationToken.None);
        Assert.True(sync.Succeeded, sync.StandardError);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Ec2.DisposeAsync();
        await Scratch.DisposeAsync();
    }
}
