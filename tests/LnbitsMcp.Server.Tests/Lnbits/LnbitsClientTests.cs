using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LnbitsMcp.Server.Tests.Lnbits;

/// <summary>The LNbits client over real HTTP against the sandbox: every endpoint, auth method and error shape.</summary>
public sealed class LnbitsClientTests : IAsyncLifetime
{
    private Sandbox _sandbox = null!;
    private SandboxWallet _wallet = null!;
    private readonly HttpClient _http = new();
    private readonly LnbitsCredentialCache _cache = new(TimeProvider.System);

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        await _sandbox.CreateUserAsync("carol", "carol-password-1");
        _wallet = await _sandbox.CreateWalletAsync("carol-main", balanceSat: 20_000, user: "carol");
        await _sandbox.CreateWalletAsync("carol-second", balanceSat: 7, user: "carol");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private LnbitsClient Client(LnbitsSettings settings) => new(_http, settings, _cache, NullLogger.Instance);

    private LnbitsSettings KeySettings(string key, LnbitsAuthMethod method = LnbitsAuthMethod.ApiKeyHeader) =>
        new() { BaseUrl = _sandbox.Url, AuthMethod = method, ApiKey = new Secret(key), TimeoutSeconds = 5 };

    public static TheoryData<string> AuthMethods() => ["api_key_header", "api_key_query", "bearer", "oauth2"];

    [Theory]
    [MemberData(nameof(AuthMethods))]
    public async Task EveryWalletCallWorksWithEveryAuthMethod(string method)
    {
        var client = Client(await SettingsForAsync(method));

        var (wallet, keyType) = await client.ProbeAsync(default);
        var invoice = await client.CreateInvoiceAsync(5, "auth " + method, null, 600, default);
        var payments = await client.GetPaymentsAsync(10, 0, default);
        var status = await client.GetPaymentStatusAsync(invoice.PaymentHash, default);

        Assert.Equal("carol-main", wallet.Name);
        Assert.Equal(20_000_000, wallet.BalanceMsat);
        Assert.Equal(KeyType.Admin, keyType);
        Assert.Contains(payments, p => p.PaymentHash == invoice.PaymentHash && p.Incoming && p.AmountMsat == 5_000);
        Assert.Equal("pending", status.Status);
        Assert.False(status.Paid);
        Assert.Equal(5_000, status.Details?.AmountMsat);
    }

    [Fact]
    public async Task BearerAndOauth2UseTheWalletNamedByWalletId()
    {
        var settings = await SettingsForAsync("oauth2");
        var wallets = await _sandbox.Http.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/sandbox/wallets");
        var second = wallets!.Single(w => w.GetProperty("name").GetString() == "carol-second").GetProperty("id").GetString();

        var wallet = await Client(settings with { WalletId = second }).GetWalletAsync(default);

        Assert.Equal("carol-second", wallet.Name);
        Assert.Equal(7_000, wallet.BalanceMsat);
    }

    [Fact]
    public async Task AnInvoiceKeyIsReportedAsInvoiceAndCannotPay()
    {
        var client = Client(KeySettings(_wallet.InvoiceKey));
        var (_, keyType) = await client.ProbeAsync(default);
        var external = await _sandbox.ExternalInvoiceAsync(10);

        var error = await Assert.ThrowsAsync<LnbitsApiException>(() => client.PayInvoiceAsync(external.Bolt11, default));

        Assert.Equal(KeyType.Invoice, keyType);
        Assert.Equal(ToolErrorCodes.LnbitsForbidden, error.Code);
        Assert.Contains("Invoice (or Admin) key required.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongKeyIsUnauthorizedNotNotFound()
    {
        var error = await Assert.ThrowsAsync<LnbitsApiException>(() => Client(KeySettings("0123456789abcdef0123456789abcdef")).GetWalletAsync(default));

        Assert.Equal(ToolErrorCodes.LnbitsUnauthorized, error.Code);
        Assert.Equal(404, error.HttpStatus);
        Assert.Contains("Wallet not found.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef0123456789abcdef", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCredentialsAndABadTokenAreUnauthorized()
    {
        var badPassword = await Assert.ThrowsAsync<LnbitsApiException>(() =>
            Client(new LnbitsSettings { BaseUrl = _sandbox.Url, AuthMethod = LnbitsAuthMethod.OAuth2, Username = "carol", Password = new Secret("wrong-password"), TimeoutSeconds = 5 })
                .GetWalletAsync(default));
        var badToken = await Assert.ThrowsAsync<LnbitsApiException>(() =>
            Client(new LnbitsSettings { BaseUrl = _sandbox.Url, AuthMethod = LnbitsAuthMethod.Bearer, BearerToken = new Secret("not.a.token"), TimeoutSeconds = 5 })
                .GetWalletAsync(default));

        Assert.Equal(ToolErrorCodes.LnbitsUnauthorized, badPassword.Code);
        Assert.Contains("Invalid credentials.", badPassword.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", badPassword.Message, StringComparison.Ordinal);
        Assert.Equal(ToolErrorCodes.LnbitsUnauthorized, badToken.Code);
    }

    [Fact]
    public async Task Oauth2LogsInAgainWhenTheTokenExpires()
    {
        await _sandbox.SetAsync(new { token_lifetime_seconds = 1 });
        try
        {
            var settings = await SettingsForAsync("oauth2");
            await Client(settings).GetPaymentsAsync(1, 0, default);
            await Task.Delay(TimeSpan.FromSeconds(2.5));

            // Another wallet of the same user: its key is read with the cached, now expired token,
            // LNbits answers 401 and the client logs in again by itself.
            var wallets = await _sandbox.Http.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/sandbox/wallets");
            var second = wallets!.Single(w => w.GetProperty("name").GetString() == "carol-second").GetProperty("id").GetString();
            var wallet = await Client(settings with { WalletId = second }).GetWalletAsync(default);
            Assert.Equal("carol-second", wallet.Name);
        }
        finally
        {
            await _sandbox.ResetSettingsAsync();
        }
    }

    [Fact]
    public async Task PayingTwiceAndInsufficientBalanceAreMappedWithLnbitsMessages()
    {
        var payer = await _sandbox.CreateWalletAsync("small-payer", balanceSat: 100);
        var client = Client(KeySettings(payer.AdminKey));
        var receiver = Client(KeySettings(_wallet.AdminKey));
        var small = await receiver.CreateInvoiceAsync(50, "small", null, 600, default);
        var large = await receiver.CreateInvoiceAsync(500, "large", null, 600, default);

        var paid = await client.PayInvoiceAsync(small.Bolt11!, default);
        var twice = await Assert.ThrowsAsync<LnbitsApiException>(() => client.PayInvoiceAsync(small.Bolt11!, default));
        var poor = await Assert.ThrowsAsync<LnbitsApiException>(() => client.PayInvoiceAsync(large.Bolt11!, default));

        Assert.Equal("success", paid.Status);
        Assert.False(paid.Incoming);
        Assert.Equal(50_000, paid.AmountMsat);
        Assert.Equal(ToolErrorCodes.AlreadyPaid, twice.Code);
        Assert.Equal(520, twice.HttpStatus);
        Assert.Equal(ToolErrorCodes.InsufficientBalance, poor.Code);
        Assert.Contains("Insufficient balance.", poor.Message, StringComparison.Ordinal);
        Assert.Equal("failed", poor.PaymentStatus);
    }

    [Fact]
    public async Task ValidationErrorsWithAListDetailKeepLnbitsMessage()
    {
        var client = Client(KeySettings(_wallet.AdminKey));

        var error = await Assert.ThrowsAsync<LnbitsApiException>(() => client.CreateInvoiceAsync(0, "zero", null, 600, default));

        Assert.Equal(520, error.HttpStatus);
        Assert.Contains("Amountless invoices not supported.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecodeFailuresUseLnbitsMessageField()
    {
        var client = Client(KeySettings(_wallet.AdminKey));

        var decoded = await client.DecodeAsync((await _sandbox.ExternalInvoiceAsync(21)).Bolt11, default);
        var error = await Assert.ThrowsAsync<LnbitsApiException>(() => client.DecodeAsync("lnbcrt1garbage", default));

        Assert.Equal(21_000, decoded.GetProperty("amount_msat").GetInt64());
        Assert.Equal(ToolErrorCodes.InvalidInvoice, error.Code);
        Assert.Contains("Failed to decode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownPaymentIsAnLnbitsErrorWithItsMessage()
    {
        var error = await Assert.ThrowsAsync<LnbitsApiException>(() =>
            Client(KeySettings(_wallet.AdminKey)).GetPaymentStatusAsync(new string('a', 64), default));

        Assert.Equal(ToolErrorCodes.LnbitsError, error.Code);
        Assert.Contains("Payment does not exist.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrorsAreLnbitsErrorsAndGetsAreRetried()
    {
        await _sandbox.SetAsync(new { fail_next = 1 });
        try
        {
            // One 500, then the retry of the idempotent GET succeeds.
            var wallet = await Client(KeySettings(_wallet.AdminKey)).GetWalletAsync(default);
            Assert.Equal("carol-main", wallet.Name);

            await _sandbox.SetAsync(new { fail_next = 5 });
            var error = await Assert.ThrowsAsync<LnbitsApiException>(() => Client(KeySettings(_wallet.AdminKey)).GetWalletAsync(default));
            Assert.Equal(ToolErrorCodes.LnbitsError, error.Code);
            Assert.Equal(500, error.HttpStatus);
            Assert.Contains("Unexpected error! ID:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await _sandbox.ResetSettingsAsync();
        }
    }

    [Fact]
    public async Task APaymentPostIsNeverRetried()
    {
        var payer = await _sandbox.CreateWalletAsync("no-retry-payer", balanceSat: 1_000);
        var invoice = await Client(KeySettings(_wallet.AdminKey)).CreateInvoiceAsync(10, "once", null, 600, default);
        await _sandbox.SetAsync(new { fail_next = 1 });
        try
        {
            var error = await Assert.ThrowsAsync<LnbitsApiException>(() => Client(KeySettings(payer.AdminKey)).PayInvoiceAsync(invoice.Bolt11!, default));
            Assert.Equal(500, error.HttpStatus);
            Assert.Equal(1_000_000, await _sandbox.BalanceMsatAsync(payer));
        }
        finally
        {
            await _sandbox.ResetSettingsAsync();
        }
    }

    [Fact]
    public async Task ATimeoutIsUnreachableWithAnUnknownOutcome()
    {
        await _sandbox.SetAsync(new { latency_ms = 3_000 });
        try
        {
            var settings = KeySettings(_wallet.AdminKey) with { TimeoutSeconds = 1 };
            var error = await Assert.ThrowsAsync<LnbitsApiException>(() => Client(settings).CreateInvoiceAsync(1, "slow", null, 600, default));
            Assert.Equal(ToolErrorCodes.LnbitsUnreachable, error.Code);
            Assert.True(error.OutcomeUnknown);
            Assert.Contains("no answer within 1 s", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await _sandbox.ResetSettingsAsync();
        }
    }

    [Fact]
    public async Task ARefusedConnectionIsUnreachableAndNothingReachedLnbits()
    {
        var settings = KeySettings("key") with { BaseUrl = new Uri($"http://127.0.0.1:{FreePort()}/") };

        var error = await Assert.ThrowsAsync<LnbitsApiException>(() => Client(settings).GetWalletAsync(default));

        Assert.Equal(ToolErrorCodes.LnbitsUnreachable, error.Code);
        Assert.True(error.ConnectionFailed);
        Assert.False(error.OutcomeUnknown);
    }

    [Theory]
    [InlineData(502, "text/html", "<html><body>Bad Gateway</body></html>", "non-JSON")]
    [InlineData(200, "text/html", "<html>not lnbits</html>", "not the expected JSON")]
    [InlineData(503, "application/json", "[1,2,3]", "HTTP 503")]
    public async Task AnswersThatAreNotLnbitsJsonAreLnbitsErrors(int status, string contentType, string body, string expected)
    {
        await using var fake = await FakeServer.StartAsync(status, contentType, body);

        var error = await Assert.ThrowsAsync<LnbitsApiException>(() => Client(KeySettings("key") with { BaseUrl = fake.Url }).GetWalletAsync(default));

        Assert.Equal(ToolErrorCodes.LnbitsError, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnLnbitsThatEchoesTheKeyNeverShowsIt()
    {
        const string key = "secret-key-echoed-by-a-broken-lnbits";
        await using var fake = await FakeServer.StartAsync(400, "application/json", $$"""{"detail":"bad key {{key}}"}""");

        var error = await Assert.ThrowsAsync<LnbitsApiException>(() => Client(KeySettings(key) with { BaseUrl = fake.Url }).GetWalletAsync(default));

        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        Assert.Contains("bad key ***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheExchangeRateEndpointsNeedNoKeyAndAnswerInLnbitsUnits()
    {
        var client = Client(new LnbitsSettings { BaseUrl = _sandbox.Url, AuthMethod = LnbitsAuthMethod.ApiKeyHeader, TimeoutSeconds = 5 });

        var currencies = await client.GetCurrenciesAsync(default);
        var euro = await client.GetRateAsync("EUR", default);
        var toFiat = await client.ConvertAsync(2_500, "sat", "usd,eur", default);
        var toSats = await client.ConvertAsync(3, "USD", "usd", default);
        var unknown = await Assert.ThrowsAsync<LnbitsApiException>(() => client.GetRateAsync("XYZ", default));

        Assert.Equal(165, currencies.Count);
        Assert.Contains("USD", currencies);
        Assert.Equal(new LnbitsRate("EUR", 1_250, 80_000), euro);
        Assert.Equal(2_500, toFiat.Sats);
        Assert.Equal(0.000025, toFiat.Btc);
        Assert.Equal(new Dictionary<string, double> { ["USD"] = 2.5, ["EUR"] = 2.0 }, toFiat.Fiat);
        Assert.Equal(3_000, toSats.Sats);
        Assert.Equal(3, toSats.Fiat["USD"]);
        Assert.Equal((ToolErrorCodes.InvalidArgument, 400), (unknown.Code, unknown.HttpStatus));
        Assert.Contains("Currency 'XYZ' not allowed.", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFiatInvoiceCarriesLnbitsConversionAndThePaginatedListItsTotal()
    {
        var wallet = await _sandbox.CreateWalletAsync("fiat-client", balanceSat: 0);
        var client = Client(KeySettings(wallet.InvoiceKey));

        var invoice = await client.CreateInvoiceAsync(4, "EUR", "four euros", null, 600, default);
        await client.CreateInvoiceAsync(7, "sat", "seven sats", null, 600, default);
        var page = await client.GetPaymentsPageAsync(new LnbitsPaymentQuery { Limit = 1, Statuses = ["pending"], Search = "euro" }, default);
        var wrongUnit = await Assert.ThrowsAsync<LnbitsApiException>(() => client.CreateInvoiceAsync(1, "usd", null, null, 600, default));

        Assert.Equal(5_000_000, invoice.AmountMsat);
        Assert.Equal(new LnbitsFiatAmount("EUR", 4, 1_250, 80_000), invoice.Fiat);
        Assert.Null(invoice.WalletFiat);
        Assert.Equal(1, page.Total);
        Assert.Equal(invoice.PaymentHash, Assert.Single(page.Payments).PaymentHash);
        Assert.Equal(ToolErrorCodes.InvalidArgument, wrongUnit.Code);
        Assert.Contains("The provided unit is not supported", wrongUnit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LnurlPaymentsFallBackWhenLnbitsHasNoEndpoint()
    {
        var payer = await _sandbox.CreateWalletAsync("lnurl-payer", balanceSat: 1_000);
        var target = await _sandbox.CreateWalletAsync("lnurltarget");
        var client = Client(KeySettings(payer.AdminKey));

        var paid = await client.PayLnurlAsync(target.LightningAddress, 21_000, "thanks", default);
        await _sandbox.SetAsync(new { lnurl_api = "absent" });
        try
        {
            Assert.Null(await client.PayLnurlAsync(target.LightningAddress, 21_000, null, default));
            await _sandbox.SetAsync(new { lnurl_api = "legacy" });
            Assert.Null(await client.PayLnurlAsync(target.LightningAddress, 21_000, null, default));
        }
        finally
        {
            await _sandbox.ResetSettingsAsync();
        }

        Assert.NotNull(paid);
        Assert.Equal("success", paid.Status);
        Assert.Equal(21_000, await _sandbox.BalanceMsatAsync(target));
    }

    private async Task<LnbitsSettings> SettingsForAsync(string method)
    {
        switch (method)
        {
            case "api_key_header":
                return KeySettings(_wallet.AdminKey);
            case "api_key_query":
                return KeySettings(_wallet.AdminKey, LnbitsAuthMethod.ApiKeyQuery);
            case "oauth2":
                return new LnbitsSettings { BaseUrl = _sandbox.Url, AuthMethod = LnbitsAuthMethod.OAuth2, Username = "carol", Password = new Secret("carol-password-1"), TimeoutSeconds = 5 };
            default:
                using (var login = await _sandbox.Http.PostAsJsonAsync("/api/v1/auth", new { username = "carol", password = "carol-password-1" }))
                {
                    var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString()!;
                    return new LnbitsSettings { BaseUrl = _sandbox.Url, AuthMethod = LnbitsAuthMethod.Bearer, BearerToken = new Secret(token), TimeoutSeconds = 5 };
                }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A server that answers every request with one fixed response (a broken LNbits, a web page).</summary>
    private sealed class FakeServer(WebApplication app, Uri url) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        public static async Task<FakeServer> StartAsync(int status, string contentType, string body)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(async context =>
            {
                context.Response.StatusCode = status;
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body);
            });
            await app.StartAsync();
            return new FakeServer(app, ListeningAddress.Of(app));
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
