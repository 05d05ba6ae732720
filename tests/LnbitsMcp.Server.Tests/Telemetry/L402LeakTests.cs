using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>
/// pay_l402 through the edge with Redis (the credential is stored there): neither the L402 token nor the preimage
/// reaches any span, metric or log (captured at Trace level) nor Redis in readable form.
/// </summary>
public sealed class L402LeakTests : IAsyncLifetime
{
    private TelemetryStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await TelemetryStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task NeitherTheTokenNorThePreimageReachesTelemetryOrRedis()
    {
        var invoice = await _stack.Sandbox.ExternalInvoiceAsync(7);
        await using var paywall = await FixedTokenPaywall.StartAsync(invoice.Bolt11, invoice.PaymentHash);
        await using var client = await _stack.ConfiguredClientThroughEdgeAsync("l402-leak", 10_000);

        await client.CallOkAsync("pay_l402", new { url = paywall.Url.AbsoluteUri, max_sats = 10, dry_run = true });
        var paid = await client.CallOkAsync("pay_l402", new { url = paywall.Url.AbsoluteUri, max_sats = 10 });
        var reused = await client.CallOkAsync("pay_l402", new { url = paywall.Url.AbsoluteUri, max_sats = 10 });
        var status = await client.CallOkAsync("get_payment_status", new { payment_hash = invoice.PaymentHash });
        var preimage = status.GetProperty("preimage").GetString()!;

        Assert.Equal("paid", paid.GetProperty("credential").GetString());
        Assert.Equal("cached", reused.GetProperty("credential").GetString());
        Assert.Equal(preimage, paywall.PreimageSeen);
        Assert.Equal(2, paywall.Served);
        await Task.Delay(TimeSpan.FromSeconds(3)); // Redis spans are made every second (RedisTracing)
        var everything = _stack.Capture.AllText();
        var dump = string.Join('\n', await _stack.Redis.DumpAsync());
        Assert.Contains("pay_l402", everything, StringComparison.Ordinal); // the capture works
        Assert.Contains("{l402:", dump, StringComparison.Ordinal);         // the credential is in Redis
        foreach (var secret in new[] { FixedTokenPaywall.Token, preimage })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }
    }

    /// <summary>An L402 server with one fixed, distinctive token bound to one invoice.</summary>
    private sealed class FixedTokenPaywall(WebApplication app, Uri url) : IAsyncDisposable
    {
        public const string Token = "AgEOl402LeakTestTokenQ7xv29Kd0Zr8Hf3MwYp5";

        private int _served;

        public Uri Url { get; } = url;

        public string? PreimageSeen { get; private set; }

        public int Served => Volatile.Read(ref _served);

        public static async Task<FixedTokenPaywall> StartAsync(string bolt11, string paymentHash)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            FixedTokenPaywall? paywall = null;
            app.MapGet("/paid", (HttpContext context) =>
            {
                var authorization = context.Request.Headers.Authorization.ToString();
                var prefix = $"L402 {Token}:";
                if (authorization.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var preimage = authorization[prefix.Length..];
                    if (Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(preimage))) == paymentHash)
                    {
                        paywall!.PreimageSeen = preimage;
                        Interlocked.Increment(ref paywall._served);
                        return Results.Text("the paid content", "text/plain", Encoding.UTF8);
                    }
                }

                context.Response.Headers.WWWAuthenticate = $"L402 version=\"0\", token=\"{Token}\", invoice=\"{bolt11}\"";
                return Results.Text("payment required", "text/plain", Encoding.UTF8, 402);
            });
            await app.StartAsync();
            var address = ListeningAddress.Of(app);
            paywall = new FixedTokenPaywall(app, new Uri(address, "/paid"));
            return paywall;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
