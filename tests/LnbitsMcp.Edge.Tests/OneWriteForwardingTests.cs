using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LnbitsMcp.Edge.Telemetry;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.Edge.Tests;

/// <summary>
/// A body of known length reaches the server in the same write as its headers (one send at the edge, one read at the
/// server); a streaming body still has its headers sent at once. The client here sends its headers, pauses, then the
/// body, and a raw socket stands in for the server, recording what each first read of a request brought.
/// </summary>
public sealed class OneWriteForwardingTests : IAsyncLifetime
{
    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(400);
    private readonly RawDestination _destination = new();
    private WebApplication _edge = null!;
    private Uri _edgeUrl = null!;

    public async ValueTask InitializeAsync()
    {
        _edge = EdgeApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReverseProxy:Clusters:servers:Destinations:server0:Address"] = _destination.Url.AbsoluteUri,
                ["ReverseProxy:Clusters:servers:HealthCheck:Active:Enabled"] = "false",
            });
        });
        await _edge.StartAsync();
        _edgeUrl = ListeningAddress.Of(_edge);
    }

    public async ValueTask DisposeAsync()
    {
        await _edge.DisposeAsync();
        _destination.Dispose();
    }

    [Fact]
    public async Task AKnownLengthBodyArrivesInTheSameReadAsItsHeaders()
    {
        var body = """{"jsonrpc":"2.0","id":41,"method":"ping"}""";
        var head = $"POST /mcp HTTP/1.1\r\nHost: {_edgeUrl.Authority}\r\nContent-Type: application/json\r\n"
            + $"{McpRequestTagging.MethodHeader}: ping\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n";

        var answer = await SendInTwoPartsAsync(head, body);

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        var forwarded = await _destination.NextRequestAsync();
        Assert.Equal(body, forwarded.Body);
        Assert.EndsWith(body, forwarded.FirstRead, StringComparison.Ordinal);
        Assert.Contains("\r\n\r\n", forwarded.FirstRead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamingBodyHasItsHeadersForwardedBeforeItEnds()
    {
        var head = $"POST /mcp HTTP/1.1\r\nHost: {_edgeUrl.Authority}\r\nContent-Type: application/json\r\n"
            + $"{McpRequestTagging.MethodHeader}: ping\r\nTransfer-Encoding: chunked\r\n\r\n";
        var chunk = """{"jsonrpc":"2.0","id":42,"method":"ping"}""";
        var chunked = $"{Encoding.UTF8.GetByteCount(chunk):x}\r\n{chunk}\r\n0\r\n\r\n";

        using var client = await ConnectAsync();
        await client.SendAsync(Encoding.ASCII.GetBytes(head));
        var firstRead = await _destination.NextFirstReadAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await client.SendAsync(Encoding.UTF8.GetBytes(chunked));
        var answer = await ReceiveAnswerAsync(client);

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.StartsWith("POST /mcp HTTP/1.1", firstRead, StringComparison.Ordinal);
        Assert.DoesNotContain(chunk, firstRead, StringComparison.Ordinal);
        Assert.Contains(chunk, (await _destination.NextRequestAsync()).Body, StringComparison.Ordinal);
    }

    private async Task<string> SendInTwoPartsAsync(string head, string body)
    {
        using var client = await ConnectAsync();
        await client.SendAsync(Encoding.ASCII.GetBytes(head));
        await Task.Delay(s_pause);
        await client.SendAsync(Encoding.UTF8.GetBytes(body));
        return await ReceiveAnswerAsync(client);
    }

    private async Task<Socket> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, _edgeUrl.Port);
        return client;
    }

    private static async Task<string> ReceiveAnswerAsync(Socket client)
    {
        var buffer = new byte[8192];
        var read = await client.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    /// <summary>
    /// A loopback HTTP/1.1 server on a bare socket: answers every request 200 with an empty body and keeps, per request,
    /// the bytes its first read brought and the whole (de-chunked) body.
    /// </summary>
    private sealed class RawDestination : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly BlockingCollection<string> _firstReads = [];
        private readonly BlockingCollection<(string FirstRead, string Body)> _requests = [];

        public RawDestination()
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _ = AcceptAsync();
        }

        public Uri Url { get; }

        public Task<string> NextFirstReadAsync() => Task.Run(() => _firstReads.Take(_stop.Token));

        public Task<(string FirstRead, string Body)> NextRequestAsync() =>
            Task.Run(() => _requests.TryTake(out var request, 10_000, _stop.Token) ? request : throw new TimeoutException("no request reached the destination"));

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket connection;
                try
                {
                    connection = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                _ = ServeAsync(connection);
            }
        }

        private async Task ServeAsync(Socket connection)
        {
            using var _ = connection;
            var buffer = new byte[65536];
            var pending = new StringBuilder();
            try
            {
                while (true)
                {
                    var read = await connection.ReceiveAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    var firstRead = Encoding.UTF8.GetString(buffer, 0, read);
                    _firstReads.Add(firstRead);
                    pending.Append(firstRead);
                    string? body;
                    while ((body = CompleteBody(pending.ToString())) is null)
                    {
                        read = await connection.ReceiveAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        pending.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    }

                    pending.Clear();
                    _requests.Add((firstRead, body));
                    await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
        }

        /// <summary>The body once the request is complete (by its Content-Length, or its last chunk), else null.</summary>
        private static string? CompleteBody(string received)
        {
            var end = received.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            var head = received[..end];
            var rest = received[(end + 4)..];
            var length = head.Split("\r\n").Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2 && parts[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(parts => int.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture))
                .DefaultIfEmpty(-1).First();
            if (length >= 0)
            {
                return rest.Length >= length ? rest[..length] : null;
            }

            return rest.EndsWith("0\r\n\r\n", StringComparison.Ordinal) ? rest : null;
        }
    }
}
