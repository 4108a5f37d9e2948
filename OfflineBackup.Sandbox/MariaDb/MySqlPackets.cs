using System.Text;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// Just enough of the MySQL client/server protocol for <see cref="QueryHoldProxy"/>: packet
/// framing (3-byte little-endian payload length, 1-byte sequence id, payload), the text of a
/// COM_QUERY, and the server's greeting with its TLS capability bit (also for <see cref="HandshakeProbe"/>).
/// </summary>
public static class MySqlPackets
{
    public const int HeaderLength = 4;

    /// <summary>CLIENT_SSL in the lower two bytes of the capability flags.</summary>
    public const ushort ClientSsl = 0x0800;

    private const byte ComQuery = 0x03;
    private const byte ProtocolVersion10 = 0x0a;

    /// <summary>One whole packet (header and payload), or null at a clean end of the stream.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        if (!await FillAsync(stream, header, 0, cancellationToken))
        {
            return null;
        }

        var length = header[0] | (header[1] << 8) | (header[2] << 16);
        var packet = new byte[HeaderLength + length];
        header.CopyTo(packet, 0);
        if (!await FillAsync(stream, packet, HeaderLength, cancellationToken))
        {
            throw new EndOfStreamException($"the stream ended inside a packet of {length} bytes");
        }

        return packet;
    }

    /// <summary>
    /// The SQL of a COM_QUERY, else null. A command is the first packet of its exchange
    /// (sequence id 0); the handshake's packets from the client all have higher ids.
    /// </summary>
    public static string? QueryText(byte[] packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return packet.Length > HeaderLength && packet[3] == 0 && packet[HeaderLength] == ComQuery
            ? Encoding.UTF8.GetString(packet, HeaderLength + 1, packet.Length - HeaderLength - 1)
            : null;
    }

    /// <summary>A server's protocol-10 greeting, which it sends once it serves clients (else an error packet).</summary>
    public static bool IsGreeting(byte[] packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return packet.Length > HeaderLength && packet[HeaderLength] == ProtocolVersion10;
    }

    /// <summary>
    /// Clears CLIENT_SSL in a protocol-10 greeting (in place) and says whether it was set; any
    /// other packet (an error instead of a greeting) is left alone. Layout: protocol version,
    /// server version up to a NUL, connection id (4), auth data part 1 (8), filler (1), then the
    /// lower capability flags (2, little-endian).
    /// </summary>
    public static bool ClearTlsOffer(byte[] greeting)
    {
        if (!IsGreeting(greeting))
        {
            return false;
        }

        var versionEnd = Array.IndexOf(greeting, (byte)0, HeaderLength + 1);
        var flags = versionEnd + 1 + 4 + 8 + 1;
        if (versionEnd < 0 || flags + 2 > greeting.Length)
        {
            return false;
        }

        var offered = (greeting[flags + 1] & (ClientSsl >> 8)) != 0;
        greeting[flags + 1] &= unchecked((byte)~(ClientSsl >> 8));
        return offered;
    }

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer, int offset, CancellationToken cancellationToken)
    {
        while (offset < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(offset), cancellationToken);
            if (read == 0)
            {
                return false;
            }

            offset += read;
        }

        return true;
    }
}
