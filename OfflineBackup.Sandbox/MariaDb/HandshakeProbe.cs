using System.Net.Sockets;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// Tells whether a server is accepting clients without logging in: mariadbd opens its port a
/// little before it is ready, but sends the protocol-10 greeting only once it serves clients.
/// Needing no account matters during bootstrap, before any TCP login exists.
/// </summary>
public static class HandshakeProbe
{
    public static async Task<bool> IsAcceptingAsync(
        string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, timeoutSource.Token);
            // The greeting, or an error packet (e.g. "too many connections"), or nothing.
            return await MySqlPackets.ReadAsync(client.GetStream(), timeoutSource.Token) is { } packet && MySqlPackets.IsGreeting(packet);
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
