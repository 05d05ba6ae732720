using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;

namespace LnbitsMcp.Server.Tests.Transport;

/// <summary>
/// On the wire (raw HTTP/1.1, so the chunks are seen as the server wrote them): a quick tool call's answer
/// leaves in the same chunk as its priming event; a slow call's priming event (with its event id and
/// <c>retry</c>) leaves alone when the hold ends, long before the answer.
/// </summary>
public sealed class QuickAnswerChunkTests(SandboxAndServer app) : IClassFixture<SandboxAndServer>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.Sandbox.ResetSettingsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AQuickAnswerLeavesInTheChunkOfItsPrimingEvent()
    {
        var wallet = await app.Sandbox.CreateWalletAsync("quick", balanceSat: 21);
        await using var client = await app.ConnectAsync(wallet.AdminKey);

        var chunks = await CallRawAsync(client.SessionId!, "get_wallet_balance");

        var first = chunks[0].Text;
        Assert.Contains("retry:", first, StringComparison.Ordinal);
        Assert.Contains("\"id\":7", first, StringComparison.Ordinal);
        Assert.Contains("21000", first, StringComparison.Ordinal); // the balance in msat, in the same chunk
    }

    [Fact]
    public async Task ASlowCallsPrimingEventLeavesAloneBeforeTheAnswer()
    {
        var wallet = await app.Sandbox.CreateWalletAsync("slow", balanceSat: 21);
        await using var client = await app.ConnectAsync(wallet.AdminKey);
        await app.Sandbox.SetAsync(new { latency_ms = 1_500 }); // reset by the next test's InitializeAsync

        var chunks = await CallRawAsync(client.SessionId!, "get_wallet_balance");

        var priming = chunks[0];
        Assert.Contains("retry:", priming.Text, StringComparison.Ordinal);
        Assert.Contains("id:", priming.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"id\":7", priming.Text, StringComparison.Ordinal);
        var answer = chunks.Single(c => c.Text.Contains("\"id\":7", StringComparison.Ordinal));
        Assert.True(answer.At - priming.At > TimeSpan.FromMilliseconds(700),
            $"priming event at {priming.At.TotalMilliseconds} ms, answer at {answer.At.TotalMilliseconds} ms");
    }

    private sealed record Chunk(string Text, TimeSpan At);

    /// <summary>POSTs a <c>tools/call</c> (id 7) on the session over a raw socket; the body's chunks up to the answer, with when each arrived.</summary>
    private async Task<List<Chunk>> CallRawAsync(string sessionId, string tool)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(app.Server.Url.Host, app.Server.Url.Port);
        var stream = socket.GetStream();
        var body = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":""" + JsonSerializer.Serialize(tool) + ""","arguments":{}}}""";
        var request = "POST /mcp HTTP/1.1\r\n"
            + $"Host: {app.Server.Url.Authority}\r\n"
            + "Content-Type: application/json\r\n"
            + "Accept: application/json, text/event-stream\r\n"
            + $"Mcp-Session-Id: {sessionId}\r\n"
            + "MCP-Protocol-Version: 2025-11-25\r\n"
            + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n"
            + body;
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reader = new ChunkReader(stream);
        var head = await reader.ReadLineAsync(timeout.Token);
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        while (await reader.ReadLineAsync(timeout.Token) is { Length: > 0 } header)
        {
            Assert.False(header.StartsWith("Content-Length", StringComparison.OrdinalIgnoreCase), "a streamed answer is chunked");
        }

        var chunks = new List<Chunk>();
        while (!chunks.Any(c => c.Text.Contains("\"id\":7", StringComparison.Ordinal)))
        {
            var size = int.Parse(await reader.ReadLineAsync(timeout.Token), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.True(size > 0, "the response ended before the answer");
            var data = await reader.ReadBytesAsync(size, timeout.Token);
            chunks.Add(new Chunk(Encoding.UTF8.GetString(data), clock.Elapsed));
            Assert.Equal("", await reader.ReadLineAsync(timeout.Token));
        }

        return chunks;
    }

    /// <summary>Lines and counted bytes from a socket, buffered.</summary>
    private sealed class ChunkReader(NetworkStream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new List<byte>();
            while (true)
            {
                var b = await ReadByteAsync(cancellationToken);
                if (b == '\n')
                {
                    return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
                }

                line.Add(b);
            }
        }

        public async Task<byte[]> ReadBytesAsync(int count, CancellationToken cancellationToken)
        {
            var bytes = new byte[count];
            for (var i = 0; i < count; i++)
            {
                bytes[i] = await ReadByteAsync(cancellationToken);
            }

            return bytes;
        }

        private async ValueTask<byte> ReadByteAsync(CancellationToken cancellationToken)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer, cancellationToken);
                if (_end == 0)
                {
                    throw new EndOfStreamException("the server closed the connection");
                }
            }

            return _buffer[_start++];
        }
    }
}
