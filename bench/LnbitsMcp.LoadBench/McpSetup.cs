using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace LnbitsMcp.LoadBench;

/// <summary>MCP sessions for the load (the C# SDK client, kept open while the load runs) and checks that a target answers right.</summary>
public static class McpSetup
{
    public const string ProtocolVersion = "2025-11-25";
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client that initialized a stateful MCP session (its Mcp-Session-Id is <see cref="McpClient.SessionId"/>).</summary>
    public static async Task<McpClient> ConnectAsync(Uri endpoint, string? protocolVersion = ProtocolVersion, HttpClient? http = null)
    {
        var options = new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp };
        var transport = http is null ? new HttpClientTransport(options) : new HttpClientTransport(options, http);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion }).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public static async Task<string> ToolTextAsync(McpClient client, string tool, Dictionary<string, object?>? arguments = null)
    {
        var result = await client.CallToolAsync(tool, arguments).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        var text = string.Join("\n", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(b => b.Text));
        return result.IsError == true ? throw new BenchException($"{tool} failed: {text}") : text;
    }

    /// <summary>Calls the tool once and writes its whole result (content, structured content) to <paramref name="path"/>; returns the path.</summary>
    public static async Task<string> SaveToolResultAsync(McpClient client, string tool, Dictionary<string, object?> arguments, string path)
    {
        var result = await client.CallToolAsync(tool, arguments).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        if (result.IsError == true || result.StructuredContent is null)
        {
            throw new BenchException($"{tool} gave no result to serve from the references: {JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions)}");
        }

        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions));
        return path;
    }

    /// <summary>
    /// An OAuth connection to the sandbox wallet, made as a person would through the server's own authorization
    /// server: register a client, allow on the connect page (its anti-forgery token and cookie), redeem the code
    /// with PKCE; returns the access token (an hour long, enough for a run).
    /// </summary>
    public static async Task<string> ConnectOAuthAsync(Uri server, Uri lnbits, string adminKey)
    {
        const string redirectUri = "http://127.0.0.1:9/callback";
        var resource = new Uri(server, "/mcp").AbsoluteUri;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var registered = await http.PostAsJsonAsync("/oauth/register", new { client_name = "load benchmark", redirect_uris = new[] { redirectUri }, token_endpoint_auth_method = "none" });
        var clientId = (await ReadOkAsync(registered, "client registration")).GetProperty("client_id").GetString()!;
        var verifier = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var authorize = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = "wallet:read wallet:pay",
            ["state"] = "bench",
            ["resource"] = resource,
            ["code_challenge"] = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        };
        var page = await http.GetStringAsync("/oauth/authorize?" + string.Join('&', authorize.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));
        var antiforgery = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        if (!antiforgery.Success)
        {
            throw new BenchException("the connect page has no anti-forgery token");
        }

        var form = new Dictionary<string, string>(authorize)
        {
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(antiforgery.Groups[1].Value),
            ["lnbits_url"] = lnbits.AbsoluteUri,
            ["api_key"] = adminKey,
            ["action"] = "allow",
        };
        using var consented = await http.PostAsync("/oauth/consent", new FormUrlEncodedContent(form));
        using var issued = await http.GetAsync(consented.Headers.Location ?? throw new BenchException($"the connect page did not redirect ({(int)consented.StatusCode})"));
        var code = System.Web.HttpUtility.ParseQueryString((issued.Headers.Location ?? throw new BenchException("no code was issued")).Query)["code"]
            ?? throw new BenchException("the redirect carries no code");
        using var redeemed = await http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
            ["resource"] = resource,
        }));
        return (await ReadOkAsync(redeemed, "token redemption")).GetProperty("access_token").GetString()!;
    }

    /// <summary>An HttpClient whose requests carry the bearer token (for the C# SDK client).</summary>
    public static HttpClient WithBearer(string accessToken) => new()
    {
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken) },
    };

    private static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response, string step)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new BenchException($"{step} failed ({(int)response.StatusCode}): {text[..Math.Min(text.Length, 300)]}");
    }

    /// <summary>A sandbox wallet with sats, and an invoice of an outside node to decode.</summary>
    public static async Task<(string AdminKey, string Bolt11)> PrepareSandboxAsync(Uri sandbox)
    {
        using var wallet = await s_http.PostAsJsonAsync(new Uri(sandbox, "/sandbox/wallets"), new { name = "bench", balance_sat = 1_000_000 });
        wallet.EnsureSuccessStatusCode();
        var adminKey = (await wallet.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adminkey").GetString()!;
        var invoice = await s_http.GetFromJsonAsync<JsonElement>(new Uri(sandbox, "/sandbox/external-invoice?amount_sat=21&expiry=86400"));
        return (adminKey, invoice.GetProperty("bolt11").GetString()!);
    }

    /// <summary>Sends the target's request once, exactly as wrk will, and checks the answer (status, no error result, expected text).</summary>
    public static async Task VerifyAsync(LoadTarget target)
    {
        using var request = new HttpRequestMessage(target.Body is null ? HttpMethod.Get : HttpMethod.Post, target.Url);
        if (target.Body is not null)
        {
            request.Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1," + target.Body, Encoding.UTF8, "application/json");
            request.Headers.Add("Accept", "application/json, text/event-stream");
            request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
        }

        if (target.SessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", target.SessionId);
        }

        if (target.Credential is { } credential)
        {
            request.Headers.TryAddWithoutValidation(credential.Name, credential.Value);
        }

        using var response = await s_http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text.Contains("\"isError\":true", StringComparison.Ordinal)
            || (target.ExpectedText is { } expected && !text.Contains(expected, StringComparison.Ordinal)))
        {
            throw new BenchException($"{target.Label} answers wrongly ({(int)response.StatusCode}): {text[..Math.Min(text.Length, 600)]}");
        }
    }
}
