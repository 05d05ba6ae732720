using LnbitsMcp.Server;
using LnbitsMcp.Server.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Infrastructure;

/// <summary>The real server, hosted in the test process on a free loopback port (real HTTP).</summary>
public sealed class ServerHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private ServerHost(WebApplication app, Uri url)
    {
        App = app;
        Url = url;
    }

    public WebApplication App { get; }

    public Uri Url { get; }

    public Uri McpUrl => new(Url, "/mcp");

    public static async Task<ServerHost> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var commandLine = ServerCommandLine.Parse(["--host", "127.0.0.1", "--port", "0"]);
        var app = ServerApplication.Build(commandLine, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Security:AllowPrivateNetworks"] = "true",
                ["Payments:Network"] = "regtest",
                ["Server:ReplicaName"] = "test-replica",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            configure?.Invoke(builder);
        });
        await app.StartAsync().WaitAsync(Timeout);
        return new ServerHost(app, ListeningAddress.Of(app));
    }

    /// <summary>A C# SDK client. Protocol 2025-11-25 keeps an MCP session; null uses the SDK default (stateless 2026-07-28).</summary>
    public async Task<McpClient> ConnectAsync(
        string? protocolVersion = "2025-11-25",
        HttpTransportMode mode = HttpTransportMode.StreamableHttp,
        IDictionary<string, string>? headers = null,
        McpClientHandlers? handlers = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = mode == HttpTransportMode.Sse ? new Uri(Url, "/sse") : McpUrl,
            TransportMode = mode,
            AdditionalHeaders = headers,
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ProtocolVersion = protocolVersion,
            Handlers = handlers ?? new McpClientHandlers(),
        }).WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().WaitAsync(Timeout);
        await App.DisposeAsync();
    }
}
