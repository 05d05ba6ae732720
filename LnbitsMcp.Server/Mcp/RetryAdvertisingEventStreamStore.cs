using System.Net.ServerSentEvents;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Event streams whose priming event (the empty first event of a POST SSE stream) also carries
/// <c>retry</c>, so a client that loses the stream knows when to reconnect with <c>Last-Event-ID</c>.
/// Everything else is the wrapped store's.
/// </summary>
#pragma warning disable MCP9006 // Stateful sessions and their event streams are deliberate (clients of 2025-11-25 and earlier).
public sealed class RetryAdvertisingEventStreamStore(ISseEventStreamStore inner, TimeSpan retry) : ISseEventStreamStore
{
    public async ValueTask<ISseEventStreamWriter> CreateStreamAsync(SseEventStreamOptions options, CancellationToken cancellationToken = default) =>
        new Writer(await inner.CreateStreamAsync(options, cancellationToken), retry);

    public ValueTask<ISseEventStreamReader?> GetStreamReaderAsync(string lastEventId, CancellationToken cancellationToken = default) =>
        inner.GetStreamReaderAsync(lastEventId, cancellationToken);

    private sealed class Writer(ISseEventStreamWriter inner, TimeSpan retry) : ISseEventStreamWriter
    {
        public ValueTask SetModeAsync(SseEventStreamMode mode, CancellationToken cancellationToken = default) => inner.SetModeAsync(mode, cancellationToken);

        public ValueTask<SseItem<JsonRpcMessage?>> WriteEventAsync(SseItem<JsonRpcMessage?> sseItem, CancellationToken cancellationToken = default) =>
            inner.WriteEventAsync(sseItem.Data is null && sseItem.ReconnectionInterval is null ? sseItem with { ReconnectionInterval = retry } : sseItem, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
#pragma warning restore MCP9006
