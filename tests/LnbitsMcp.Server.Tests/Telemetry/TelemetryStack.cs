using System.Diagnostics;
using LnbitsMcp.Edge;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>
/// Edge and server hosted in this process on real ports, with Redis and the sandbox, every signal
/// captured by in-memory exporters (the ASP.NET Core, HttpClient and SDK sources are process-wide,
/// so the server's providers see the edge's spans too).
/// </summary>
public sealed class TelemetryStack : IAsyncDisposable
{
    private TelemetryStack(RedisServer redis, Sandbox sandbox, ServerHost server, WebApplication edge, Uri edgeUrl, TelemetryCapture capture)
    {
        Redis = redis;
        Sandbox = sandbox;
        Server = server;
        EdgeApp = edge;
        EdgeUrl = edgeUrl;
        Capture = capture;
    }

    public RedisServer Redis { get; }
    public Sandbox Sandbox { get; }
    public ServerHost Server { get; }
    public WebApplication EdgeApp { get; }
    public Uri EdgeUrl { get; }
    public TelemetryCapture Capture { get; }

    /// <summary>
    /// The spans of traces that touch this stack (a tag names its edge's, server's, sandbox's or Redis' port). Other
    /// test classes run hosts in the same process, and every capture there sees their spans too.
    /// </summary>
    public IReadOnlyList<CapturedSpan> OwnSpans(IEnumerable<CapturedSpan> spans)
    {
        var all = spans.ToList();
        var ports = new[] { EdgeUrl.Port, Server.Url.Port, Sandbox.Url.Port, Redis.Port }
            .Select(port => port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var traces = all
            .Where(span => span.Tags.Values.Any(value => value is not null && ports.Any(port => value == port || value.Contains(":" + port, StringComparison.Ordinal))))
            .Select(span => span.TraceId)
            .ToHashSet();
        return all.Where(span => traces.Contains(span.TraceId)).ToList();
    }

    /// <summary>An MCP client connected to this stack's edge, speaking <paramref name="protocolVersion"/> (null: the SDK's default revision).</summary>
    public Task<McpClient> ConnectThroughEdgeAsync(string? protocolVersion = "2025-11-25") =>
        McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(EdgeUrl, "/mcp") }),
            new McpClientOptions { ProtocolVersion = protocolVersion }).WaitAsync(ToolCalls.Timeout);

    /// <summary>A client through the edge whose session is configured with the admin key of a new sandbox wallet holding <paramref name="balanceSat"/>.</summary>
    public async Task<McpClient> ConfiguredClientThroughEdgeAsync(string walletName, long balanceSat)
    {
        var wallet = await Sandbox.CreateWalletAsync(walletName, balanceSat);
        var client = await ConnectThroughEdgeAsync();
        try
        {
            await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many <c>/health</c> requests the server has answered (the edge's active health checks).</summary>
    public int ServerHealthRequests => Capture.HealthRequests;

    /// <param name="edgeSettings">Extra edge configuration, e.g. a shorter active health-check interval.</param>
    public static async Task<TelemetryStack> StartAsync(IDictionary<string, string?>? edgeSettings = null)
    {
        var redis = await RedisServer.StartAsync();
        var sandbox = await Sandbox.StartAsync();
        var capture = new TelemetryCapture();
        var server = await ServerHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:redis"] = redis.ConnectionString,

                // Configuration rules win over SetMinimumLevel (appsettings says Information): Trace for real.
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            },
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
                builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new HealthRequestCounter(capture));
                builder.Services.AddOpenTelemetry()
                    .WithTracing(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(new SpanCapture(capture))))
                    .WithMetrics(metrics => metrics.AddInMemoryExporter(capture.Metrics, reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 500))
                    .WithLogging(logging => logging.AddProcessor(new SimpleLogRecordExportProcessor(new LogCapture(capture))));
            });
        var edge = EdgeApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReverseProxy:Clusters:servers:Destinations:server0:Address"] = server.Url.AbsoluteUri,
                ["ConnectionStrings:redis"] = redis.ConnectionString,
            });
            if (edgeSettings is not null)
            {
                builder.Configuration.AddInMemoryCollection(edgeSettings);
            }
        });
        await edge.StartAsync();
        var edgeUrl = ListeningAddress.Of(edge);
        return new TelemetryStack(redis, sandbox, server, edge, edgeUrl, capture);
    }

    public async ValueTask DisposeAsync()
    {
        await EdgeApp.StopAsync();
        await EdgeApp.DisposeAsync();
        await Server.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>Every exported signal, turned into plain data at export time (records are pooled and reused).</summary>
public sealed class TelemetryCapture
{
    private readonly List<CapturedSpan> _spans = [];
    private readonly List<string> _logs = [];

    private int _healthRequests;

    public List<MetricSnapshot> Metrics { get; } = [];

    public int HealthRequests => Volatile.Read(ref _healthRequests);

    public void CountHealthRequest() => Interlocked.Increment(ref _healthRequests);

    public void Add(CapturedSpan span)
    {
        lock (_spans)
        {
            _spans.Add(span);
        }
    }

    public void Add(string log)
    {
        lock (_logs)
        {
            _logs.Add(log);
        }
    }

    public IReadOnlyList<CapturedSpan> Spans()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    /// <summary>The latest span that matches, waiting up to 30 s for it to be exported.</summary>
    public async Task<CapturedSpan> WaitForSpanAsync(Func<CapturedSpan, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (Spans().LastOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException("No such span. Spans seen:\n" + string.Join('\n', Spans().TakeLast(40)));
    }

    public IReadOnlyList<string> Logs()
    {
        lock (_logs)
        {
            return [.. _logs];
        }
    }

    /// <summary>Every span, log record and metric as text, for "this must appear nowhere" checks.</summary>
    public string AllText()
    {
        var text = new System.Text.StringBuilder();
        foreach (var span in Spans())
        {
            text.AppendLine(span.ToString());
        }

        foreach (var log in Logs())
        {
            text.AppendLine(log);
        }

        text.Append(MetricsText());
        return text.ToString();
    }

    /// <summary>The metric snapshots as text; the in-memory exporter replaces them every 0.5 s without a lock, so a torn read is retried.</summary>
    private string MetricsText()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var text = new System.Text.StringBuilder();
                foreach (var metric in Metrics.ToArray())
                {
                    text.Append(metric.Name).Append(' ');
                    foreach (var point in metric.MetricPoints.ToArray())
                    {
                        foreach (var tag in point.Tags)
                        {
                            text.Append(tag.Key).Append('=').Append(tag.Value).Append(' ');
                        }
                    }

                    text.AppendLine();
                }

                return text.ToString();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException && attempt < 20)
            {
                Thread.Sleep(50);
            }
        }
    }
}

public sealed record CapturedSpan(
    ActivityTraceId TraceId,
    ActivitySpanId SpanId,
    ActivitySpanId ParentSpanId,
    string Source,
    string Name,
    ActivityKind Kind,
    IReadOnlyDictionary<string, string?> Tags,
    string Events,
    string? Status,
    ActivityStatusCode StatusCode = ActivityStatusCode.Unset)
{
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value : null;

    public override string ToString() =>
        $"{Source} {Name} {Kind} {string.Join(' ', Tags.Select(t => $"{t.Key}={t.Value}"))} {Events} {Status}";
}

internal sealed class SpanCapture(TelemetryCapture capture) : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            var events = string.Join(" | ", activity.Events.Select(e => e.Name + " " + string.Join(' ', e.Tags.Select(t => $"{t.Key}={t.Value}"))));
            capture.Add(new CapturedSpan(activity.TraceId, activity.SpanId, activity.ParentSpanId, activity.Source.Name, activity.DisplayName, activity.Kind,
                activity.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString()), events, activity.StatusDescription, activity.Status));
        }

        return ExportResult.Success;
    }
}

/// <summary>Counts the server's <c>/health</c> requests ahead of everything else in its pipeline.</summary>
internal sealed class HealthRequestCounter(TelemetryCapture capture) : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments("/health"))
            {
                capture.CountHealthRequest();
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}

internal sealed class LogCapture(TelemetryCapture capture) : BaseExporter<LogRecord>
{
    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        foreach (var record in batch)
        {
            var text = new System.Text.StringBuilder();
            text.Append(record.CategoryName).Append(' ').Append(record.FormattedMessage).Append(' ').Append(record.Body);
            foreach (var attribute in record.Attributes ?? [])
            {
                text.Append(' ').Append(attribute.Key).Append('=').Append(Describe(attribute.Value));
            }

            record.ForEachScope((scope, builder) =>
            {
                foreach (var item in scope)
                {
                    builder.Append(" scope ").Append(item.Key).Append('=').Append(item.Value);
                }
            }, text);
            if (record.Exception is { } exception)
            {
                text.Append(" exception ").Append(exception);
            }

            capture.Add(text.ToString());
        }

        return ExportResult.Success;
    }

    /// <summary>Lists (HttpClient logs header values as lists) element by element, so a secret inside one is seen.</summary>
    private static string? Describe(object? value) => value is System.Collections.IEnumerable items and not string
        ? string.Join(",", items.Cast<object?>().Select(Describe))
        : value?.ToString();
}
