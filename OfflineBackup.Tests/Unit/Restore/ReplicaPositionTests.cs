using OfflineBackup.Restore;

namespace OfflineBackup.Tests.Unit.Restore;

/// <summary>The recorded position: the tag's format, the position file in a data directory, and what restore's steps say about the file.</summary>
public sealed class ReplicaPositionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ob-position-").FullName;

    [Theory]
    [InlineData("gtid:0-1-42", "gtid 0-1-42")]
    [InlineData("gtid:0-1-42,1-2-7", "gtid 0-1-42,1-2-7")]
    [InlineData("file:mysql-bin.000003:1234", "binlog mysql-bin.000003:1234")]
    public void A_well_formed_position_is_read(string text, string described) =>
        Assert.Equal(described, ReplicaPosition.Parse(text, "test")!.Describe());

    [Theory]
    [InlineData("")]
    [InlineData("gtid:")]
    [InlineData("gtid:0-1-42'; DROP TABLE x")]
    [InlineData("file:mysql-bin.000003")]
    [InlineData("file:bin'log:12")]
    [InlineData("position 42")]
    public void Anything_else_is_no_position(string text) => Assert.Null(ReplicaPosition.Parse(text, "test"));

    [Fact]
    public void The_position_file_first_line_is_the_position_and_further_lines_are_ignored()
    {
        File.WriteAllText(Path.Combine(_directory, PositionFile.Name), "file:mysql-bin.000007:99\nmode=online\nat=2026-11-29T00:00:00Z\n");

        var (position, problem) = PositionFile.Read(_directory);

        Assert.Null(problem);
        Assert.Equal(("mysql-bin.000007", 99L), (position!.BinlogFile, position.BinlogPosition!.Value));
        Assert.Equal($"the position file {PositionFile.Name}", position.Source);
    }

    [Fact]
    public void No_file_is_no_position_and_a_file_without_one_is_a_problem()
    {
        Assert.Equal((null, null), PositionFile.Read(_directory));

        File.WriteAllText(Path.Combine(_directory, PositionFile.Name), "mode=online\n");
        var (position, problem) = PositionFile.Read(_directory);

        Assert.Null(position);
        Assert.Contains("does not start with a position", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_steps_read_the_position_file_before_the_server_starts()
    {
        var layout = new ReplicaLayout("/mnt/restored", "data", "/usr/sbin/mariadbd", "mysql", 77, 3307);
        var steps = ReplicaSteps.For(new RestoredVolume("vol-1", "snap-1", "us-east-1a"), layout, ReplicaPosition.InServerTables);

        var read = steps.ToList().FindIndex(s => s.Kind == RestoreStepKind.Shell && s.Text.StartsWith($"cat /mnt/restored/data/{PositionFile.Name}", StringComparison.Ordinal));
        var start = steps.ToList().FindIndex(s => s.Kind == RestoreStepKind.Shell && s.Text.Contains("--server-id=77", StringComparison.Ordinal));
        Assert.InRange(read, 0, start - 1);
        Assert.Contains(steps, s => s.Kind == RestoreStepKind.Note && s.Text.Contains("MASTER_LOG_FILE='NAME', MASTER_LOG_POS=POS", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
