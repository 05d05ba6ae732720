using System.Collections.Concurrent;
using System.Globalization;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Telemetry;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Caps the live MCP transport sessions (Streamable HTTP sessions and legacy SSE connections) one
/// client address holds on this instance (<c>Sessions:MaxTransportSessionsPerClientAddress</c>): a
/// session is counted when the SDK creates it and released when it ends (closed, deleted, idle, or the
/// SSE connection gone). Over the cap the request is answered 429 with a JSON-RPC error. Session-less
/// (2026-07-28) requests are not sessions and are not counted. Also registers each new
/// <c>Mcp-Session-Id</c> for redaction: we issued it.
/// </summary>
public sealed class TransportSessionLimiter(IOptions<SessionsOptions> options)
{
    private const string CountedAddressItem = "LnbitsMcp.TransportSessionAddress";
    private readonly ConcurrentDictionary<string, int> _live = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Live transport sessions of this client address on this instance.</summary>
    public int LiveSessions(string clientAddress) => _live.TryGetValue(clientAddress, out var count) ? count : 0;

    /// <summary>Client addresses that hold at least one live transport session (the structure is bounded by live sessions).</summary>
    public int TrackedAddresses => _live.Count;

    /// <summary>The SDK's <c>ConfigureSessionOptions</c> hook: runs when a session is being created, before its response starts.</summary>
    public Task OnSessionStartingAsync(HttpContext context, McpServerOptions serverOptions, CancellationToken cancellationToken)
    {
        var transportSessionId = context.Response.Headers[ToolCallFilter.McpSessionIdHeader].ToString();
        var legacySse = context.Request.Path.Value?.EndsWith(McpEndpoints.LegacySsePath, StringComparison.Ordinal) == true;
        if (transportSessionId.Length == 0 && !legacySse)
        {
            return Task.CompletedTask; // served statelessly: no session to keep
        }

        SecretRedactor.Register(transportSessionId, options.Value.IdleTimeout);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var max = options.Value.MaxTransportSessionsPerClientAddress;
        lock (_lock)
        {
            var count = LiveSessions(address);
            if (count >= max)
            {
                throw new TransportSessionLimitException(max);
            }

            _live[address] = count + 1;
        }

        context.Items[CountedAddressItem] = address;
        return Task.CompletedTask;
    }

    /// <summary>The SDK's <c>RunSessionHandler</c>: runs the session and releases its count when it ends.</summary>
    public async Task RunSessionAsync(HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        var address = context.Items[CountedAddressItem] as string;
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            if (address is not null)
            {
                Release(address);
            }
        }
    }

    private void Release(string address)
    {
        lock (_lock)
        {
            var count = LiveSessions(address) - 1;
            if (count <= 0)
            {
                _live.TryRemove(address, out _);
            }
            else
            {
                _live[address] = count;
            }
        }
    }
}

/// <summary>A client address holds as many live MCP sessions as it may; answered 429 by <see cref="McpEndpoints"/>.</summary>
public sealed class TransportSessionLimitException(int max) : Exception(string.Create(CultureInfo.InvariantCulture,
    $"Too many open MCP sessions from this client address (the limit is {max}). Close sessions you no longer use (DELETE /mcp) or let idle ones expire."));
