using System.Net;
using System.Text;
using LnbitsMcp.Edge.RateLimiting;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.Edge.Tests;

/// <summary>
/// Forged <c>Mcp-Session-Id</c> values are misses: they must not make the edge keep anything per value
/// (rate-limit buckets, routes).
/// </summary>
public sealed class ForgedSessionIdsDoNotGrowTheEdge : IAsyncLifetime
{
    private WebApplication _destination = null!;
    private WebApplication _edge = null!;
    private Uri _edgeUrl = null!;

    public async ValueTask InitializeAsync()
    {
        // A destination that answers every unknown session as the servers do: 404.
        var destination = WebApplication.CreateSlimBuilder();
        destination.WebHost.UseUrls("http://127.0.0.1:0");
        destination.Logging.ClearProviders();
        _destination = destination.Build();
        _destination.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await _destination.StartAsync();

        _edge = EdgeApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReverseProxy:Clusters:servers:Destinations:server0:Address"] = ListeningAddress.Of(_destination).AbsoluteUri,
                ["RateLimiting:ClientAddress:TokenLimit"] = "100000",
                ["RateLimiting:ClientAddress:TokensPerPeriod"] = "100000",
            });
        });
        await _edge.StartAsync();
        _edgeUrl = ListeningAddress.Of(_edge);
    }

    public async ValueTask DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _destination.DisposeAsync();
    }

    [Fact]
    public async Task TwentyThousandForgedSessionIdsCreateNoPerSessionBucketsOrRoutes()
    {
        using var http = new HttpClient();
        var counter = _edge.Services.GetRequiredService<RateLimitPartitionCounter>();
        var router = _edge.Services.GetRequiredService<Routing.SessionRouter>();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 20_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_edgeUrl, "/mcp"))
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Mcp-Session-Id", $"forged-{i}-{Guid.NewGuid():N}");
            using var response = await http.SendAsync(request, cancellationToken);
            statuses.Add(response.StatusCode);
        });

        Assert.Equal(20_000, statuses.Count(s => s is HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests));
        Assert.Equal(0, counter.CreatedOfKind("session"));
        Assert.True(counter.CreatedOfKind("unknown-session") <= 2, $"{counter.CreatedOfKind("unknown-session")} buckets for unknown sessions");
        Assert.Equal(0, router.Count);
    }
}
