using System.Net;
using LnbitsMcp.Edge.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Edge.Tests;

/// <summary>The edge's token buckets as the rate-limiting middleware sees them: one per client address, refilled over time.</summary>
public sealed class EdgeRateLimiterTests
{
    [Fact]
    public async Task AnEmptiedAddressBucketRefillsAfterItsPeriodAndLeavesOtherAddressesAlone()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["RateLimiting:ClientAddress:TokenLimit"] = "3";
        builder.Configuration["RateLimiting:ClientAddress:TokensPerPeriod"] = "3";
        builder.Configuration["RateLimiting:ClientAddress:ReplenishmentPeriod"] = "00:00:00.300";
        builder.AddEdgeRateLimiting();
        await using var services = builder.Services.BuildServiceProvider();
        var limiter = services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        var first = Request(services, "192.0.2.1");

        var granted = Enumerable.Range(0, 5).Select(_ => limiter.AttemptAcquire(first).IsAcquired).ToList();
        var otherAddress = limiter.AttemptAcquire(Request(services, "192.0.2.2")).IsAcquired;
        await Task.Delay(TimeSpan.FromSeconds(1));
        var afterThePeriod = limiter.AttemptAcquire(first).IsAcquired;

        Assert.Equal([true, true, true, false, false], granted);
        Assert.True(otherAddress);
        Assert.True(afterThePeriod);
    }

    private static DefaultHttpContext Request(IServiceProvider services, string address)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/tools-list-page";
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }
}
