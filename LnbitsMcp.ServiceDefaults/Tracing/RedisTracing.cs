using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Redis client, with its commands traced as spans under the span they ran in. The instrumentation records each
/// command in a profiling session per span and makes the spans when it drains those sessions; until then it holds
/// the span (an <c>Activity</c> with its tags) and the session. Aspire's client drains every 10 s: under load that
/// kept every request span that sent a command alive for seconds, long enough to reach the collector's oldest
/// generation (a tool call's p99 nearly three times as long on the OAuth path, which sends one command per call). Here they
/// are drained every <see cref="FlushInterval"/>, which also brings the Redis spans to the exporter that much sooner.
/// </summary>
public static class RedisTracing
{
    /// <summary>How often the Redis commands' spans are made (and the spans they ran under let go).</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>Aspire's Redis client (<c>ConnectionStrings:&lt;name&gt;</c>, health check, metrics) with the tracing above instead of its own.</summary>
    public static void AddTracedRedisClient(this IHostApplicationBuilder builder, string connectionName, Action<ConfigurationOptions> configureOptions)
    {
        builder.AddRedisClient(connectionName, settings => settings.DisableTracing = true, configureOptions);
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddRedisInstrumentation(options => options.FlushInterval = FlushInterval));
    }
}
