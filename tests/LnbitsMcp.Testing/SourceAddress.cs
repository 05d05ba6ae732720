using System.Net;
using System.Net.Sockets;

namespace LnbitsMcp.Testing;

/// <summary>
/// HttpClients that connect from a chosen loopback address: on Linux every 127.x.y.z is a local source
/// address, so one test process can act as several clients that servers tell apart by address.
/// </summary>
public static class SourceAddress
{
    public static HttpClient HttpClient(string sourceAddress)
    {
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }
}
