using System.Net.Sockets;

namespace OfflineBackup.Service;

/// <summary>
/// Whether anything accepts TCP connections on MySQL's port. "Down" for the stop step means
/// this is false (and, where a pid file is configured, the process is gone): a server that
/// still listens may still be flushing InnoDB, and a snapshot then would not be consistent.
/// </summary>
public static class TcpProbe
{
    public static async Task<bool> AcceptsConnectionsAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, attempt.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer within 2 s is not proof of "down" (a full listen backlog drops SYNs):
            // only a refused connection is. Report "maybe up" and let the caller keep waiting.
            return true;
        }
    }
}
