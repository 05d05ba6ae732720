using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace LnbitsMcp.Testing;

/// <summary>An answer of the REST debug route: status, headers and the JSON body.</summary>
public sealed record RestAnswer(HttpStatusCode Status, HttpResponseHeaders Headers, JsonElement Body)
{
    /// <summary>The tool result's <c>structuredContent.error</c>, asserting a 200 with <c>isError: true</c> and text <c>"code: …"</c>.</summary>
    public JsonElement Error(string code)
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200 with {code}, got {(int)Status}: {Body}");
        Assert.True(Body.GetProperty("isError").GetBoolean(), $"expected {code}, got {Body}");
        var error = Body.GetProperty("structuredContent").GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.StartsWith(code + ": ", Body.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        return error;
    }

    /// <summary>The tool result's <c>structuredContent</c>, asserting a 200 with <c>isError: false</c>.</summary>
    public JsonElement Ok()
    {
        Assert.True(Status == HttpStatusCode.OK && !Body.GetProperty("isError").GetBoolean(), $"expected a result, got {(int)Status}: {Body}");
        return Body.GetProperty("structuredContent");
    }

    /// <summary>The JSON-RPC error body of a refusal with <paramref name="status"/>.</summary>
    public JsonElement Refusal(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal("2.0", Body.GetProperty("jsonrpc").GetString());
        return Body.GetProperty("error");
    }
}

/// <summary>Calls of <c>POST /tools/{name}</c> with the seed's body shape <c>{"name", "arguments"}</c>.</summary>
public static class RestToolCalls
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<RestAnswer> CallToolAsync(
        this HttpClient http, Uri server, string tool, object? arguments = null, IDictionary<string, string>? headers = null, string? bearer = null) =>
        http.PostToolAsync(server, tool, JsonSerializer.Serialize(new { name = tool, arguments = arguments ?? new { } }), headers, bearer);

    /// <summary>Posts <paramref name="body"/> as it is (for malformed bodies, wrong content types, …).</summary>
    public static async Task<RestAnswer> PostToolAsync(
        this HttpClient http, Uri server, string tool, string body, IDictionary<string, string>? headers = null, string? bearer = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/tools/" + tool))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new RestAnswer(response.StatusCode, response.Headers, json);
    }

    /// <summary>The <c>X-LNbits-*</c> headers for one request (never stored by the server).</summary>
    public static Dictionary<string, string> LnbitsHeaders(Uri lnbitsUrl, string key) => new()
    {
        ["X-LNbits-Url"] = lnbitsUrl.AbsoluteUri,
        ["X-LNbits-Api-Key"] = key,
    };
}
