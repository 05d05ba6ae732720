using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>
/// Every tool fuzzed with wrong types, missing arguments, empty and huge strings, bad amounts,
/// malformed invoices and unknown session ids: each gets a contract error code, the server keeps
/// serving, and nothing changes in the session or the wallet.
/// </summary>
public sealed class BadInputTests : SandboxServerTests
{
    private static readonly HashSet<string> s_contractCodes =
    [
        "invalid_argument", "no_session", "session_not_found", "not_configured", "invalid_invoice", "invoice_expired",
        "amountless_invoice", "limit_exceeded", "insufficient_balance", "already_paid", "lnbits_unauthorized", "lnbits_forbidden",
        "lnbits_unreachable", "lnbits_error", "forbidden_destination", "lnurl_error", "confirmation_required",
        "confirmation_declined", "read_only_session",
        "l402_error", "payee_not_allowed", // ours, documented with pay_l402 and the payee rules
    ];

    [Fact]
    public async Task EveryToolAnswersBadInputWithAContractCodeAndChangesNothing()
    {
        var wallet = await Sandbox.CreateWalletAsync("fuzzed", 10_000);
        await using var client = await Server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var before = (await client.CallOkAsync("get_lnbits_configuration")).GetRawText();
        var tools = await client.ListToolsAsync().AsTask().WaitAsync(ServerHost.Timeout);
        var valid = await Sandbox.ExternalInvoiceAsync(10);
        var calls = 0;

        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            var properties = tool.InputSchema.GetProperty("properties").EnumerateObject().ToList();
            var required = tool.InputSchema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            foreach (var (argument, value) in BadArguments(properties, required, valid.Bolt11))
            {
                var arguments = Baseline(required, valid.Bolt11);
                if (value is null)
                {
                    arguments.Remove(argument);
                }
                else
                {
                    arguments[argument] = value.Value;
                }

                var result = await client.CallToolAsync(tool.Name, arguments.ToDictionary(a => a.Key, a => (object?)a.Value)).AsTask().WaitAsync(ServerHost.Timeout);
                calls++;
                var description = $"{tool.Name}({argument}={(value is null ? "<missing>" : Truncate(value.Value.GetRawText()))})";
                Assert.True(result.IsError == true, $"{description} should have failed: {ToolCalls.Text(result)}");
                var code = result.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString()!;
                Assert.True(s_contractCodes.Contains(code), $"{description} answered {code}");
                Assert.DoesNotContain("   at ", ToolCalls.Text(result), StringComparison.Ordinal);
            }
        }

        Assert.True(calls > 100, $"only {calls} bad calls were made");
        Assert.Equal(before, (await client.CallOkAsync("get_lnbits_configuration")).GetRawText());
        Assert.Equal(10_000_000, await Sandbox.BalanceMsatAsync(wallet));
        Assert.Single(await Sandbox.PaymentsAsync(wallet));
        Assert.Equal("success", (await client.CallOkAsync("pay_invoice", new { bolt11 = valid.Bolt11 })).GetProperty("status").GetString());
    }

    [Fact]
    public async Task MalformedInvoicesAreInvalidInvoiceEverywhere()
    {
        await using var client = await Server.ConnectAsync();
        var (bolt11, _) = await Sandbox.ExternalInvoiceAsync(10);

        foreach (var bad in MalformedInvoices(bolt11))
        {
            var error = await client.CallErrorAsync("decode_invoice", "invalid_invoice", new { bolt11 = bad });
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }

        Assert.Equal("regtest", (await client.CallOkAsync("decode_invoice", new { bolt11 = bolt11.ToUpperInvariant() })).GetProperty("network").GetString());
        Assert.Equal("regtest", (await client.CallOkAsync("decode_invoice", new { bolt11 = "lightning:" + bolt11 })).GetProperty("network").GetString());
    }

    [Fact]
    public async Task MalformedJsonRpcIsAJsonRpcErrorAndTheServerKeepsServing()
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("\"error\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        await using var client = await Server.ConnectAsync();
        await client.CallOkAsync("get_session_info");
    }

    private static IEnumerable<string> MalformedInvoices(string valid)
    {
        yield return valid[..(valid.Length / 2)];
        yield return valid[..^1] + (valid[^1] == 'q' ? 'p' : 'q');
        yield return valid[..10].ToUpperInvariant() + valid[10..];
        yield return "lnbcrt1" + new string('x', 300);
        yield return "garbage";
        yield return "lnbc1";
        yield return new string('q', 10_000);
        yield return "lightning:";
    }

    private static Dictionary<string, JsonElement> Baseline(IEnumerable<string> required, string bolt11)
    {
        var values = new Dictionary<string, JsonElement>();
        foreach (var name in required)
        {
            values[name] = name switch
            {
                "bolt11" => Json(bolt11),
                "payment_hash" => Json(new string('c', 64)),
                "lightning_address" => Json("nobody@127.0.0.1:1"),
                "amount" or "amount_sats" => Json(1),
                "max_sats" => Json(10),
                "url" => Json("http://127.0.0.1:1/nothing-listens-here"),
                _ => Json("x"),
            };
        }

        return values;
    }

    /// <summary>(argument, bad value) pairs; a null value means "leave the required argument out".</summary>
    private static IEnumerable<(string Argument, JsonElement? Value)> BadArguments(List<JsonProperty> properties, List<string> required, string validBolt11)
    {
        foreach (var name in required)
        {
            yield return (name, null);
        }

        foreach (var property in properties)
        {
            var type = property.Value.GetProperty("type");
            var main = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().First(t => t.GetString() != "null").GetString() : type.GetString();
            yield return (property.Name, Json(new { nested = true }));
            yield return (property.Name, Json(new[] { 1, 2 }));
            switch (main)
            {
                case "string":
                    yield return (property.Name, Json(12345));
                    yield return (property.Name, Json(true));
                    yield return (property.Name, Json(new string('z', 20_000)));
                    if (required.Contains(property.Name) || property.Name is "session_id" or "description_hash")
                    {
                        yield return (property.Name, Json(property.Name == "session_id" ? "unknown-session-id-AAAAAAAAAAAAAAAAAAAAAAAAA" : string.Empty));
                    }

                    break;
                case "integer":
                    yield return (property.Name, Json("12"));
                    yield return (property.Name, Json(1.5));
                    yield return (property.Name, JsonDocument.Parse("1e30").RootElement.Clone());
                    yield return (property.Name, JsonDocument.Parse("9223372036854775808").RootElement.Clone());
                    yield return (property.Name, Json(-1));
                    if (property.Value.TryGetProperty("minimum", out var minimum) && minimum.GetDouble() > 0)
                    {
                        yield return (property.Name, Json(0));
                    }

                    break;
                case "boolean":
                    yield return (property.Name, Json("true"));
                    yield return (property.Name, Json(1));
                    break;
            }

            if (property.Name == "bolt11")
            {
                foreach (var bad in MalformedInvoices(validBolt11))
                {
                    yield return (property.Name, Json(bad));
                }
            }
        }
    }

    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);

    private static string Truncate(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
