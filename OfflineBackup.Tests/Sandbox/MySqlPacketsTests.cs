using System.Text;

namespace OfflineBackup.Tests.Sandbox;

/// <summary>The proxy's reading of the MySQL protocol, on packets laid out by hand.</summary>
public sealed class MySqlPacketsTests
{
    [Fact]
    public void A_greeting_offering_tls_loses_only_that_bit()
    {
        var greeting = Greeting(0xffff);

        Assert.True(MySqlPackets.ClearTlsOffer(greeting));

        Assert.Equal(Greeting(0xffff & ~MySqlPackets.ClientSsl), greeting);
        Assert.False(MySqlPackets.ClearTlsOffer(greeting));
        Assert.Equal(Greeting(0xf7ff), greeting);
    }

    [Fact]
    public void An_error_packet_in_place_of_the_greeting_is_left_alone()
    {
        byte[] error = [9, 0, 0, 0, 0xff, 0x10, 0x04, .. "Too many"u8];
        var copy = error.ToArray();

        Assert.False(MySqlPackets.ClearTlsOffer(error));
        Assert.Equal(copy, error);
    }

    [Theory]
    [InlineData(0, 0x03, "SELECT 1")]
    [InlineData(1, 0x03, null)]
    [InlineData(0, 0x0e, null)]
    public void Only_a_com_query_that_opens_its_exchange_has_sql(int sequence, byte command, string? expected)
    {
        var payload = new byte[] { command }.Concat(Encoding.UTF8.GetBytes("SELECT 1")).ToArray();
        byte[] packet = [(byte)payload.Length, 0, 0, (byte)sequence, .. payload];

        Assert.Equal(expected, MySqlPackets.QueryText(packet));
    }

    [Fact]
    public async Task Packets_are_read_whole_across_short_reads_and_the_end_of_the_stream_is_null()
    {
        byte[] bytes = [3, 0, 0, 0, 0x03, (byte)'h', (byte)'i', 1, 0, 0, 1, 0x0e];
        using var stream = new TrickleStream(bytes);

        var first = await MySqlPackets.ReadAsync(stream, CancellationToken.None);
        var second = await MySqlPackets.ReadAsync(stream, CancellationToken.None);
        var end = await MySqlPackets.ReadAsync(stream, CancellationToken.None);

        Assert.Equal("hi", MySqlPackets.QueryText(first!));
        Assert.Equal(bytes[7..], second);
        Assert.Null(end);
    }

    /// <summary>A protocol-10 greeting as MariaDB lays it out, with the given lower capability flags.</summary>
    private static byte[] Greeting(int flags)
    {
        byte[] payload =
        [
            0x0a, .. "10.11.19-MariaDB\0"u8, 1, 0, 0, 0, .. "abcdefgh"u8, 0,
            (byte)(flags & 0xff), (byte)(flags >> 8), 0x2d, 2, 0, 0xff, 0x81, 21, .. new byte[10], .. "ijklmnopqrst\0"u8,
        ];
        return [(byte)payload.Length, 0, 0, 0, .. payload];
    }

    /// <summary>Hands out one byte per read, as a socket may.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
