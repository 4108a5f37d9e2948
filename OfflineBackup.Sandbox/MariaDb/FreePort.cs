using System.Net;
using System.Net.Sockets;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// A loopback port nobody listens on right now. Another process may take it before mariadbd
/// binds it; the server start retries with a new port when the bind fails.
/// </summary>
public static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
