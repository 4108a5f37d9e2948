using System.Net;
using System.Net.Sockets;

namespace OfflineBackup.Sandbox.MariaDb;

/// <summary>
/// A MySQL-protocol TCP proxy on 127.0.0.1 in front of one server, which holds one query from
/// the client until the test releases it: a gate inside a real MySQL conversation, so a test can
/// keep the real binary at one exact statement (a read of the pre-flush, say) however fast or
/// slow the machine is. Bytes go both ways unchanged, except that the server's TLS offer is
/// struck from its greeting: a client with SslMode=Preferred (the tool's) then stays in plain
/// text, which the proxy can read. Every COM_QUERY is offered, in the order they arrive over all
/// connections, to a predicate until it picks one; that one is held (<see cref="Held"/>) and
/// reaches the server only on <see cref="Release"/>. Other connections, and later queries, pass.
/// Dispose closes every connection and never forwards a query still held.
/// </summary>
public sealed class QueryHoldProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _serverHost;
    private readonly int _serverPort;
    private readonly Func<string, bool> _holdWhen;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<string> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _queries = [];
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _connections = [];
    private Task _accepting = Task.CompletedTask;

    private QueryHoldProxy(string serverHost, int serverPort, Func<string, bool> holdWhen) =>
        (_serverHost, _serverPort, _holdWhen) = (serverHost, serverPort, holdWhen);

    /// <summary>The port clients connect to (on 127.0.0.1).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes with the SQL of the held query once it arrived (and was not forwarded).</summary>
    public Task<string> Held => _held.Task;

    /// <summary>Every COM_QUERY seen so far, in arrival order (the held one included).</summary>
    public IReadOnlyList<string> Queries
    {
        get
        {
            lock (_queries)
            {
                return [.. _queries];
            }
        }
    }

    /// <param name="holdWhen">Called with each query's SQL, in arrival order, under a lock, until it returns true once; it may keep state.</param>
    public static QueryHoldProxy Start(string serverHost, int serverPort, Func<string, bool> holdWhen)
    {
        ArgumentNullException.ThrowIfNull(holdWhen);
        var proxy = new QueryHoldProxy(serverHost, serverPort, holdWhen);
        proxy._listener.Start();
        proxy._accepting = proxy.AcceptAsync();
        return proxy;
    }

    /// <summary>Lets the held query (and any query that would be held later: there is none) go on to the server.</summary>
    public void Release() => _released.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await Quietly(_accepting);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            await Quietly(connection);
        }

        _closing.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_closing.Token);
            if (!Track(client))
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    /// <summary>Remembers a socket for Dispose; false (and closed) when Dispose has begun.</summary>
    private bool Track(Socket socket)
    {
        lock (_sockets)
        {
            if (_closing.IsCancellationRequested)
            {
                socket.Dispose();
                return false;
            }

            _sockets.Add(socket);
            return true;
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (!Track(server))
        {
            client.Dispose();
            return;
        }

        try
        {
            await server.ConnectAsync(_serverHost, _serverPort, _closing.Token);
            await using var fromClient = new NetworkStream(client, ownsSocket: false);
            await using var toServer = new NetworkStream(server, ownsSocket: false);
            var down = ServerToClientAsync(toServer, fromClient);
            var up = ClientToServerAsync(fromClient, toServer);
            // Either side ending ends the connection: close both, so the other pump ends too.
            await Task.WhenAny(down, up);
            client.Dispose();
            server.Dispose();
            await Quietly(down);
            await Quietly(up);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server is gone, or Dispose closed the sockets: the client sees its connection end.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task ServerToClientAsync(Stream server, Stream client)
    {
        var greeting = await MySqlPackets.ReadAsync(server, _closing.Token);
        if (greeting is null)
        {
            return;
        }

        // Struck so that the client cannot switch to TLS: the proxy must read its queries. The
        // sandbox's MariaDB 10.11 has no certificate and offers none; a server that does (11.4
        // makes its own) would otherwise take the tool's SslMode=Preferred session into TLS.
        MySqlPackets.ClearTlsOffer(greeting);

        await client.WriteAsync(greeting, _closing.Token);
        await server.CopyToAsync(client, _closing.Token);
    }

    private async Task ClientToServerAsync(Stream client, Stream server)
    {
        while (await MySqlPackets.ReadAsync(client, _closing.Token) is { } packet)
        {
            if (MySqlPackets.QueryText(packet) is { } sql && TakesTheHold(sql))
            {
                await _released.Task.WaitAsync(_closing.Token);
            }

            await server.WriteAsync(packet, _closing.Token);
        }
    }

    /// <summary>Notes the query and decides, under the lock, whether it is the one held: at most one ever is.</summary>
    private bool TakesTheHold(string sql)
    {
        lock (_queries)
        {
            _queries.Add(sql);
            return !_held.Task.IsCompleted && _holdWhen(sql) && _held.TrySetResult(sql);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended: what the proxy is for is already decided.
        }
    }
}
