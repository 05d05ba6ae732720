using System.Net;
using System.Net.Sockets;
using Garnet;

namespace LnbitsMcp.AppHost.Redis;

/// <summary>
/// A Redis-compatible Garnet server on loopback, for machines with neither a container runtime nor
/// redis-server. Memory is kept small: this is a development store, not a cache for production.
/// </summary>
public sealed class EmbeddedGarnetServer : IDisposable
{
    private readonly GarnetServer _server;

    private EmbeddedGarnetServer(int port)
    {
        Port = port;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        _server = new GarnetServer(
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(invariant),
            "--memory", "64m",
            "--index", "8m",
            "--lua",
        ]);
    }

    public int Port { get; }

    public static EmbeddedGarnetServer Start(int port = 0)
    {
        var server = new EmbeddedGarnetServer(port == 0 ? FreeTcpPort() : port);
        server._server.Start();
        return server;
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _server.Dispose();
}
