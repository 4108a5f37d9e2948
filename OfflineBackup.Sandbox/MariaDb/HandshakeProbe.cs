using System.Net.Sockets;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// Tells whether a server is accepting clients without logging in: mariadbd opens its port a
/// little before it is ready, but sends the protocol-10 greeting only once it serves clients.
/// Needing no account matters during bootstrap, before any TCP login exists.
/// </summary>
public static class HandshakeProbe
{
    private const byte ProtocolVersion10 = 0x0a;

    public static async Task<bool> IsAcceptingAsync(
        string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, timeoutSource.Token);
            var stream = client.GetStream();
            // 3 bytes length, 1 byte sequence, then the first payload byte: 0x0a greeting or
            // 0xff error packet (e.g. "too many connections").
            var header = new byte[5];
            var read = 0;
            while (read < header.Length)
            {
                var n = await stream.ReadAsync(header.AsMemory(read), timeoutSource.Token);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return header[4] == ProtocolVersion10;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
