using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;

/// <summary>Plain HTTP calls to a sandbox, returning status and raw JSON so tests see LNbits' exact shapes.</summary>
public sealed class SandboxClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public async Task<ApiResponse> SendAsync(
        HttpMethod method,
        string path,
        JsonNode? body = null,
        string? apiKey = null,
        string? bearer = null,
        string? rawBody = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (body is not null || rawBody is not null)
        {
            request.Content = new StringContent(rawBody ?? body!.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await http.SendAsync(request).WaitAsync(TestTimeout);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(TestTimeout);
        var json = string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
        return new ApiResponse(response.StatusCode, json, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }

    public Task<ApiResponse> GetAsync(string path, string? apiKey = null, string? bearer = null) =>
        SendAsync(HttpMethod.Get, path, apiKey: apiKey, bearer: bearer);

    public Task<ApiResponse> PostAsync(string path, JsonNode? body, string? apiKey = null, string? bearer = null) =>
        SendAsync(HttpMethod.Post, path, body, apiKey, bearer);

    public async Task<TestWallet> CreateWalletAsync(string name, long balanceSat, string? user = null)
    {
        var body = new JsonObject { ["name"] = name, ["balance_sat"] = balanceSat };
        if (user is not null)
        {
            body["user"] = user;
        }

        var response = await PostAsync("/sandbox/wallets", body).WaitAsync(TestTimeout);
        Assert.Equal(201, response.Code);
        return new TestWallet(
            response.Text("id"),
            response.Text("name"),
            response.Text("adminkey"),
            response.Text("inkey"),
            response.Text("user"),
            response.Text("lightning_address"));
    }

    /// <summary>Creates an invoice with the invoice key and returns the Payment object (201 asserted).</summary>
    public async Task<JsonObject> CreateInvoiceAsync(TestWallet wallet, long amountSat, string memo = "sandbox test", int? expiry = null)
    {
        var body = new JsonObject { ["out"] = false, ["amount"] = amountSat, ["memo"] = memo };
        if (expiry is not null)
        {
            body["expiry"] = expiry;
        }

        var response = await PostAsync("/api/v1/payments", body, wallet.InKey).WaitAsync(TestTimeout);
        Assert.Equal(201, response.Code);
        return response.Object;
    }

    public Task<ApiResponse> PayAsync(TestWallet wallet, string bolt11) =>
        PostAsync("/api/v1/payments", new JsonObject { ["out"] = true, ["bolt11"] = bolt11 }, wallet.AdminKey);

    public async Task<long> BalanceMsatAsync(TestWallet wallet)
    {
        var response = await GetAsync("/api/v1/wallet", wallet.InKey).WaitAsync(TestTimeout);
        Assert.Equal(200, response.Code);
        return response.Long("balance");
    }

    public async Task<JsonArray> PaymentsAsync(TestWallet wallet, string query = "")
    {
        var response = await GetAsync("/api/v1/payments" + query, wallet.InKey).WaitAsync(TestTimeout);
        Assert.Equal(200, response.Code);
        return response.Array;
    }

    public async Task<(string Bolt11, string PaymentHash)> ExternalInvoiceAsync(long? amountSat, int? expiry = null)
    {
        var query = new List<string>();
        if (amountSat is not null)
        {
            query.Add($"amount_sat={amountSat}");
        }

        if (expiry is not null)
        {
            query.Add($"expiry={expiry}");
        }

        var response = await GetAsync("/sandbox/external-invoice?" + string.Join("&", query)).WaitAsync(TestTimeout);
        Assert.Equal(200, response.Code);
        return (response.Text("bolt11"), response.Text("payment_hash"));
    }

    public async Task<JsonObject> SettingsAsync(JsonObject settings)
    {
        var response = await PostAsync("/sandbox/settings", settings).WaitAsync(TestTimeout);
        Assert.Equal(200, response.Code);
        return response.Object;
    }

    public async Task ResetSettingsAsync()
    {
        var response = await PostAsync("/sandbox/settings/reset", null).WaitAsync(TestTimeout);
        Assert.Equal(200, response.Code);
    }

    /// <summary>Polls the payment status (owner's key) until <paramref name="done"/> holds or the timeout passes.</summary>
    public async Task<JsonObject> PollStatusAsync(TestWallet wallet, string paymentHash, Func<JsonObject, bool> done)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        while (true)
        {
            var status = await GetAsync($"/api/v1/payments/{paymentHash}", wallet.InKey).WaitAsync(TestTimeout);
            if (done(status.Object))
            {
                return status.Object;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token).WaitAsync(TestTimeout);
        }
    }

    public void Dispose() => http.Dispose();
}
