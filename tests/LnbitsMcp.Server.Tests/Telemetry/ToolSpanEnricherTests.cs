using System.Diagnostics;
using LnbitsMcp.Server.Telemetry;
using LnbitsMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>
/// What the tool-span tagging remembers after a call: the Redis instrumentation makes its spans seconds after the
/// command, as children of the span it ran under, so such a span is remembered; a call that sent nothing to Redis
/// leaves nothing behind (it was kept for two minutes, every call of every session, and cost the collector dearly).
/// </summary>
public sealed class ToolSpanEnricherTests : IAsyncLifetime
{
    private static readonly ActivitySource s_client = ListenedTo(new ActivitySource("LnbitsMcp.Tests.ToolSpanEnricher"));
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await _redis.ConnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task ASpanMadeLaterUnderACallThatUsedRedisCarriesTheCallsTags()
    {
        var enricher = Enricher(_connection);
        var toolSpan = StartSpan("tools/call get_wallet_balance");
        var followed = enricher.Follow(toolSpan, "get_wallet_balance");
        followed.SessionHint = "a1b2c3d4e5f60718";
        await _connection.GetDatabase().StringGetAsync("session:anything");
        End(enricher, toolSpan);

        var redisSpan = StartChildOf(toolSpan, "GET");
        enricher.OnStart(redisSpan);
        End(enricher, redisSpan);

        Assert.Equal("get_wallet_balance", redisSpan.GetTagItem(TelemetryNames.ToolNameTag));
        Assert.Equal("a1b2c3d4e5f60718", redisSpan.GetTagItem(TelemetryNames.SessionTag));
    }

    [Fact]
    public async Task ACallThatSentNothingToRedisIsForgottenWhenItEnds()
    {
        var enricher = Enricher(_connection);
        await _connection.GetDatabase().PingAsync(); // connected and idle: no command is written during the call
        var toolSpan = StartSpan("tools/call decode_invoice");
        enricher.Follow(toolSpan, "decode_invoice");
        var childDuringCall = StartChildOf(toolSpan, "GET");
        enricher.OnStart(childDuringCall);
        End(enricher, childDuringCall);
        End(enricher, toolSpan);

        var laterChild = StartChildOf(toolSpan, "late");
        enricher.OnStart(laterChild);
        End(enricher, laterChild);

        Assert.Equal("decode_invoice", childDuringCall.GetTagItem(TelemetryNames.ToolNameTag)); // followed while live
        Assert.Null(laterChild.GetTagItem(TelemetryNames.ToolNameTag));                       // nothing remembered
    }

    [Fact]
    public void WithoutRedisNothingIsRememberedAfterACall()
    {
        var enricher = new ToolSpanEnricher(new ServiceCollection().BuildServiceProvider());
        var toolSpan = StartSpan("tools/call get_balance");
        enricher.Follow(toolSpan, "get_balance");
        End(enricher, toolSpan);

        var laterChild = StartChildOf(toolSpan, "late");
        enricher.OnStart(laterChild);

        Assert.Equal("get_balance", toolSpan.GetTagItem(TelemetryNames.ToolNameTag));
        Assert.Null(laterChild.GetTagItem(TelemetryNames.ToolNameTag));
    }

    private static ActivitySource ListenedTo(ActivitySource source)
    {
        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        });
        return source;
    }

    private static ToolSpanEnricher Enricher(IConnectionMultiplexer redis) =>
        new(new ServiceCollection().AddSingleton(redis).BuildServiceProvider());

    private static Activity StartSpan(string name) => new Activity(name).SetIdFormat(ActivityIdFormat.W3C).Start();

    /// <summary>A client span made from its parent's context only, as the Redis instrumentation makes its spans.</summary>
    private static Activity StartChildOf(Activity parent, string name) =>
        s_client.StartActivity(name, ActivityKind.Client, new ActivityContext(parent.TraceId, parent.SpanId, ActivityTraceFlags.Recorded))!;

    private static void End(ToolSpanEnricher enricher, Activity span)
    {
        span.Stop();
        enricher.OnEnd(span);
    }
}
