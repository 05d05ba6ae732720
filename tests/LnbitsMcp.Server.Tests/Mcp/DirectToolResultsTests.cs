using System.Text.Json;
using System.Text.Json.Nodes;
using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Server.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Mcp;

/// <summary>
/// A successful tool result is written straight into the response (<see cref="DirectToolResults"/>): over every
/// transport and protocol revision the client gets the tool's whole result, JSON-equal to what the SDK would have
/// written, with what the SDK adds to a result on its way out; error results are as the SDK writes them.
/// </summary>
public sealed class DirectToolResultsTests(SandboxAndServer app) : IClassFixture<SandboxAndServer>
{
    public static TheoryData<string?, HttpTransportMode> Transports => new()
    {
        { "2025-11-25", HttpTransportMode.StreamableHttp },
        { null, HttpTransportMode.StreamableHttp }, // 2026-07-28, session-less
        { "2024-11-05", HttpTransportMode.Sse },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task TheClientGetsTheToolsWholeResult(string? protocolVersion, HttpTransportMode mode)
    {
        var bolt11 = (await app.Sandbox.ExternalInvoiceAsync(21)).Bolt11;
        await using var client = await app.Server.ConnectAsync(protocolVersion, mode);

        var answer = await client.CallToolAsync("decode_invoice", new Dictionary<string, object?> { ["bolt11"] = bolt11 },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(Bolt11Decoder.TryDecode(bolt11, out var invoice, out _));
        var expected = Serialize(((SerializedToolResult)ToolResults.Success(DecodedInvoiceResult.From(invoice!, DateTimeOffset.UtcNow)).Content).ToCallToolResult());
        var actual = Serialize(answer);
        Assert.False(answer.IsError);
        Assert.True(JsonNode.DeepEquals(expected["content"], actual["content"]), $"content: {actual["content"]}");
        Assert.True(JsonNode.DeepEquals(expected["structuredContent"], actual["structuredContent"]), $"structuredContent: {actual["structuredContent"]}");
        Assert.Equal(21_000, answer.StructuredContent!.Value.GetProperty("amount_msat").GetInt64());
    }

    [Fact]
    public async Task WhatTheSdkAddsToAResultOnItsWayOutStays()
    {
        var bolt11 = (await app.Sandbox.ExternalInvoiceAsync(21)).Bolt11;
        await using var client = await app.Server.ConnectAsync(protocolVersion: null); // 2026-07-28

        var answer = await client.CallToolAsync("decode_invoice", new Dictionary<string, object?> { ["bolt11"] = bolt11 },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("lnbits-mcp", answer.Meta?["io.modelcontextprotocol/serverInfo"]?["name"]?.GetValue<string>());
        Assert.Equal("complete", answer.ResultType);
        Assert.NotNull(answer.StructuredContent);
    }

    [Fact]
    public async Task EveryContentBlockArrives()
    {
        var wallet = await app.Sandbox.CreateWalletAsync("direct-results", balanceSat: 0);
        await using var client = await app.ConnectAsync(wallet.InvoiceKey);

        var answer = await client.CallToolAsync("create_invoice", new Dictionary<string, object?> { ["amount"] = 21 },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(answer.IsError);
        Assert.Collection(answer.Content,
            text => Assert.Contains(answer.StructuredContent!.Value.GetProperty("bolt11").GetString()!, ((TextContentBlock)text).Text, StringComparison.Ordinal),
            image =>
            {
                var png = Assert.IsType<ImageContentBlock>(image);
                Assert.Equal("image/png", png.MimeType);
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.DecodedData.ToArray()[..4]);
            });
    }

    [Fact]
    public async Task AnErrorResultIsTheSdks()
    {
        await using var client = await app.Server.ConnectAsync();

        var answer = await client.CallToolAsync("decode_invoice", new Dictionary<string, object?> { ["bolt11"] = "lnbcrt1nonsense" },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(answer.IsError);
        Assert.StartsWith("invalid_invoice: ", Assert.IsType<TextContentBlock>(Assert.Single(answer.Content)).Text, StringComparison.Ordinal);
        Assert.Equal("invalid_invoice", answer.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString());
    }

    private static JsonObject Serialize(CallToolResult result) =>
        (JsonObject)JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult)))!;
}
