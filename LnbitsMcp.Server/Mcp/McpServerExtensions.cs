using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Tools;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Mcp;

public static class McpServerExtensions
{
    /// <summary>
    /// The MCP server over HTTP: Streamable HTTP in the hybrid mode (clients that initialize get an
    /// Mcp-Session-Id, session-less protocol revisions are served statelessly) plus legacy SSE.
    /// </summary>
    public static IHostApplicationBuilder AddLnbitsMcpServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TransportSessionLimiter>();
        builder.Services.AddOptions<HttpServerTransportOptions>().Configure<TransportSessionLimiter>((options, limiter) =>
        {
            options.ConfigureSessionOptions = limiter.OnSessionStartingAsync;
#pragma warning disable MCPEXP002 // RunSessionHandler is experimental; it is the one hook that sees a session end.
            options.RunSessionHandler = limiter.RunSessionAsync;
#pragma warning restore MCPEXP002
        });
        builder.AddLnbitsMcpCore()
            .WithHttpTransport(options =>
            {
                options.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
#pragma warning disable MCP9004 // Legacy HTTP+SSE is part of our contract (the seed's /sse endpoint).
                options.EnableLegacySse = true;
#pragma warning restore MCP9004
            })
            .WithEventStreamStore(builder);
        return builder;
    }

    /// <summary>The MCP server over stdin/stdout: one user, one implicit session for the whole process.</summary>
    public static IHostApplicationBuilder AddLnbitsMcpStdioServer(this IHostApplicationBuilder builder)
    {
        builder.AddLnbitsMcpCore().WithStdioServerTransport();
        return builder;
    }

    /// <summary>Tools, filter and schema conventions, whatever the transport.</summary>
    private static IMcpServerBuilder AddLnbitsMcpCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ReplicaIdentity>();
        builder.Services.AddSingleton<ToolCallFilter>();
        builder.Services.AddScoped<ToolCallContext>();
        builder.Services.AddSingleton<IPostConfigureOptions<McpServerOptions>, ToolSchemaConventions>();

        return builder.Services.AddMcpServer(options =>
            {
                options.ServerInfo = new() { Name = "lnbits-mcp", Title = "LNbits wallet", Version = ServerVersion.Current };
                options.ServerInstructions = ServerInstructions.Text;
            })
            .WithMessageFilters(filters => filters
                .AddIncomingFilter(ToolCallParamsGuard.Create)
                .AddOutgoingFilter(DirectToolResults.Create))
            .WithRequestFilters(filters => filters
                .AddCallToolFilter(ToolCallFilter.Create)
                .AddListToolsFilter(ReadOnlyToolMarker.Create))
            .WithToolsOf<SessionTools>(ToolJson.Options)
            .WithToolsOf<ConfigurationTools>(ToolJson.Options)
            .WithToolsOf<WalletTools>(ToolJson.Options)
            .WithToolsOf<InvoiceTools>(ToolJson.Options)
            .WithToolsOf<PaymentTools>(ToolJson.Options)
            .WithToolsOf<L402Tools>(ToolJson.Options)
            .WithToolsOf<LimitTools>(ToolJson.Options);
    }

    /// <summary>
    /// SSE event streams are stored so that POST streams carry a priming event and <c>retry</c>, and
    /// <c>Last-Event-ID</c> resumes: with Redis in <see cref="RedisEventStreamStore"/> (any instance resumes),
    /// otherwise in a size-capped in-process cache (one instance).
    /// </summary>
    /// Stateful sessions are deliberate here (MCP9006): clients of 2025-11-25 and earlier need them.
#pragma warning disable MCP9006
    private static IMcpServerBuilder WithEventStreamStore(this IMcpServerBuilder mcp, IHostApplicationBuilder builder)
    {
        if (builder.UsesRedis())
        {
            builder.Services.AddSingleton(services => new RedisEventStreamStore(
                services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(),
                services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<RedisEventStreamStore>>(),
                builder.Configuration.GetValue<TimeSpan?>(EventStreamsStoreAfterKey)));
            builder.Services.AddOptions<HttpServerTransportOptions>().PostConfigure<RedisEventStreamStore>((options, store) =>
                options.EventStreamStore = new RetryAdvertisingEventStreamStore(store, EventStreamRetry));
            return mcp;
        }

        builder.Services.AddDistributedMemoryCache(cache => cache.SizeLimit = InProcessEventStoreBytes);
        builder.Services.PostConfigure<HttpServerTransportOptions>(options =>
        {
            if (options.EventStreamStore is { } store and not RetryAdvertisingEventStreamStore)
            {
                options.EventStreamStore = new RetryAdvertisingEventStreamStore(store, EventStreamRetry);
            }
        });
        return mcp.WithDistributedCacheEventStreamStore();
    }
#pragma warning restore MCP9006

    /// <summary>Configuration: how young a stream stays in the answering instance's memory (<see cref="RedisEventStreamStore.StoreAfter"/>; 00:00:00 = every message to Redis).</summary>
    public const string EventStreamsStoreAfterKey = "EventStreams:StoreAfter";

    /// <summary>The <c>retry</c> a POST SSE stream's priming event advertises.</summary>
    public static readonly TimeSpan EventStreamRetry = TimeSpan.FromSeconds(1);

    /// <summary>Memory the in-process event stream store may use (entries are sized by their bytes).</summary>
    public const long InProcessEventStoreBytes = 64L * 1024 * 1024;
}
