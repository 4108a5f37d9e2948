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
                        Tags = [new(ToolTags.CreatedBy, ToolTags.CreatedByValue), new(ToolTags.Volume, TestSettings.VolumeId)],
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

    /// <summary>
    /// The safety net of a test that failed half-way: ends any server on the test's scratch
    /// socket, unmounts what is mounted under its scratch directory, and detaches and deletes
    /// every volume of the double but the data volume (in this collection only a drill or a
    /// restore of the test that just ran makes them). Does nothing when nothing is left.
    /// </summary>
    public static async Task ReclaimAsync(VolumePairFixture world, CliHarness cli)
    {
        var scratch = cli.Files.Path("drill");
        foreach (var pid in Directory.GetDirectories("/proc").Where(d => ReadCommandLine(d).Contains($"--socket={scratch}/", StringComparison.Ordinal)))
        {
            await global::OfflineBackup.Sandbox.Testing.ChildProcess.RunAsync("kill", ["-KILL", Path.GetFileName(pid)], CancellationToken.None);
        }

        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.GetDirectories("/proc").Any(d => ReadCommandLine(d).Contains($"--socket={scratch}/", StringComparison.Ordinal)) && DateTime.UtcNow < limit)
        {
            await Task.Delay(50);
        }

        foreach (var mount in File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(scratch + "/", StringComparison.Ordinal)))
        {
            await KernelDisks.UnmountAsync(mount, CancellationToken.None);
        }

        var left = world.Ec2.Volumes().Where(v => v.VolumeId != TestSettings.VolumeId).ToList();
        if (left.Count == 0)
        {
            return;
        }

        using var client = Ec2.Ec2Harness.CreateClient(world.Ec2, new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "not-a-real-secret"));
        foreach (var volume in left)
        {
            if (volume.State == "creating")
            {
                world.Ec2.ReleaseVolume(volume.VolumeId);
            }

            if (volume.Attachment is not null)
            {
                await client.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volume.VolumeId, Force = true });
            }

            limit = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volume.VolumeId] })).Volumes[0].State != Amazon.EC2.VolumeState.Available
                && DateTime.UtcNow < limit)
            {
                await Task.Delay(100);
            }

            await client.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        }
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
