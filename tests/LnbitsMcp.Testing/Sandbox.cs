using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using LnbitsMcp.LnbitsSandbox;
using Microsoft.AspNetCore.Builder;

namespace LnbitsMcp.Testing;

/// <summary>The LNbits sandbox, started in the test process on a free loopback port, and its sandbox-only API.</summary>
public sealed class Sandbox : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Sandbox(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public static async Task<Sandbox> StartAsync()
    {
        var app = SandboxHost.Build(["--urls", "http://127.0.0.1:0"], options => options.DemoOutput = TextWriter.Null);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new Sandbox(app, SandboxHost.GetBaseAddress(app));
    }

    public async Task<SandboxWallet> CreateWalletAsync(string name, long balanceSat = 0, string? user = null)
    {
        using var response = await Http.PostAsJsonAsync("/sandbox/wallets", new { name, balance_sat = balanceSat, user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SandboxWallet>())!;
    }

    public async Task CreateUserAsync(string username, string password)
    {
        using var response = await Http.PostAsJsonAsync("/sandbox/users", new { username, password });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>An invoice of an outside node (amountless when <paramref name="amountSat"/> is null).</summary>
    public async Task<(string Bolt11, string PaymentHash)> ExternalInvoiceAsync(long? amountSat, int? expirySeconds = null)
    {
        var query = string.Join('&', new[]
        {
            amountSat is null ? null : $"amount_sat={amountSat}",
            expirySeconds is null ? null : $"expiry={expirySeconds}",
        }.Where(part => part is not null));
        var invoice = await Http.GetFromJsonAsync<JsonElement>($"/sandbox/external-invoice?{query}");
        return (invoice.GetProperty("bolt11").GetString()!, invoice.GetProperty("payment_hash").GetString()!);
    }

    /// <summary>Changes sandbox settings (snake_case JSON object, e.g. <c>new { pay_mode = "pending" }</c>).</summary>
    public async Task SetAsync(object settings)
    {
        using var response = await Http.PostAsJsonAsync("/sandbox/settings", settings);
        response.EnsureSuccessStatusCode();
    }

    public async Task ResetSettingsAsync()
    {
        using var response = await Http.PostAsync("/sandbox/settings/reset", null);
        response.EnsureSuccessStatusCode();
    }

    public async Task<long> BalanceMsatAsync(SandboxWallet wallet)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/wallet");
        request.Headers.Add("X-Api-Key", wallet.InvoiceKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetInt64();
    }

    public async Task<JsonElement[]> PaymentsAsync(SandboxWallet wallet)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/payments?limit=100");
        request.Headers.Add("X-Api-Key", wallet.InvoiceKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement[]>())!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}

public sealed record SandboxWallet(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("adminkey")] string AdminKey,
    [property: JsonPropertyName("inkey")] string InvoiceKey,
    [property: JsonPropertyName("lightning_address")] string LightningAddress);
