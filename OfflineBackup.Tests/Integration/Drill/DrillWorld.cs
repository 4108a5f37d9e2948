using System.Text.Json;
using Amazon.EC2.Model;

namespace OfflineBackup.Tests.Integration.Drill;

/// <summary>What the drill tests do to the fixture's world and what they look at afterwards.</summary>
internal static class DrillWorld
{
    /// <summary>A snapshot of ours taken by hand with the replica stopped cleanly (the same copy a run makes).</summary>
    public static async Task<string> SnapshotAsync(VolumePairFixture world)
    {
        using var client = Ec2.Ec2Harness.CreateClient(world.Ec2, new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "not-a-real-secret"));
        await world.Pair.StopReplicaServerAsync(CancellationToken.None);
        CreateSnapshotResponse snapshot;
        try
        {
            snapshot = await client.CreateSnapshotAsync(new CreateSnapshotRequest
            {
                VolumeId = TestSettings.VolumeId,
                TagSpecifications =
                [
                    new TagSpecification
                    {
                        ResourceType = Amazon.EC2.ResourceType.Snapshot,
                        Tags = [new(OwnershipTags.CreatedBy, OwnershipTags.CreatedByValue), new(OwnershipTags.Volume, TestSettings.VolumeId)],
                    },
                ],
            });
        }
        finally
        {
            await world.Pair.StartReplicaServerAsync(CancellationToken.None);
        }

        world.Ec2.Complete(snapshot.Snapshot.SnapshotId);
        return snapshot.Snapshot.SnapshotId;
    }

    /// <summary>Overwrites every InnoDB page of one table's file in the snapshot's image with garbage.</summary>
    public static async Task DamageAsync(VolumePairFixture world, string snapshotId, string relativeFile, string scratch)
    {
        var image = world.Disks.PathOf(world.Ec2.SnapshotImage(snapshotId)!.To);
        var mountPoint = Path.Combine(scratch, "damage");
        Directory.CreateDirectory(mountPoint);
        await KernelDisks.MountAsync(image, mountPoint, ["-o", "loop"], CancellationToken.None);
        try
        {
            var file = Path.Combine(mountPoint, relativeFile);
            var length = new FileInfo(file).Length;
            var garbage = new byte[length];
            new Random(13).NextBytes(garbage);
            await File.WriteAllBytesAsync(file, garbage);
        }
        finally
        {
            await KernelDisks.UnmountAsync(mountPoint, CancellationToken.None);
        }
    }

    /// <summary>Nothing of a drill is left: no volume but the data volume, no loop device or mount of one, no server.</summary>
    public static void AssertNothingLeft(VolumePairFixture world, CliHarness cli, JsonElement? report = null)
    {
        var volumes = world.Ec2.Volumes();
        Assert.Equal([TestSettings.VolumeId], volumes.Select(v => v.VolumeId));
        Assert.DoesNotContain(KernelDisks.LoopDevices(), l => l.BackingFile.StartsWith(world.Disks.ImagesDirectory + "/", StringComparison.Ordinal)
            && !l.BackingFile.EndsWith(TestSettings.VolumeId + ".img", StringComparison.Ordinal));
        var scratch = cli.Files.Path("drill");
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(scratch, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(scratch, "drill.json")), "the drill journal is left");
        Assert.False(File.Exists(Path.Combine(scratch, "mysqld.sock")), "the throwaway server's socket is left");
        Assert.DoesNotContain(Directory.GetDirectories("/proc").Select(ReadCommandLine), c => c.Contains($"--socket={scratch}", StringComparison.Ordinal));
    }

    private static string ReadCommandLine(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
