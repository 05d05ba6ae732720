using System.Diagnostics;
using System.Text;
using LnbitsMcp.Edge.Telemetry;
using Microsoft.Extensions.Hosting;

namespace LnbitsMcp.Edge.Tests;

/// <summary>How the edge learns the MCP method and tool of a request for its span name (issue 19).</summary>
public sealed class McpRequestTaggingTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"pay_invoice","arguments":{"bolt11":"lnbc1"}}}""", "tools/call", "pay_invoice")]
    [InlineData("""{"params":{"arguments":{"name":"not-this"},"name":"decode_invoice"},"id":"a","method":"tools/call","jsonrpc":"2.0"}""", "tools/call", "decode_invoice")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{}}}""", "initialize", null)]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", "notifications/initialized", null)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":["tools/call"],"params":[1,2]}""", null, null)]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"tools/call"}]""", null, null)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/ca""", null, null)]
    [InlineData("not json", null, null)]
    public void TheMethodAndToolAreReadFromTheFirstMessage(string body, string? method, string? tool) =>
        Assert.Equal((method, tool), McpRequestTagging.Parse(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("tools/call", "decode_invoice", "tools/call decode_invoice")]
    [InlineData("tools/list", "ignored", "tools/list")]
    [InlineData("tools/call", "<script>alert(1)</script>", "tools/call")]
    [InlineData("tools/call", null, "tools/call")]
    public void OnlySafeShortNamesNameASpan(string method, string? tool, string expected)
    {
        using var activity = new Activity("request");
        McpSpanNames.Tag(activity, method, tool);
        Assert.Equal(expected, McpSpanNames.SpanName(activity));
    }

    [Theory]
    [InlineData("drop table; --")]
    [InlineData("")]
    [InlineData("a-very-long-method-name-that-goes-on-and-on-and-on-and-on-beyond-any-limit")]
    public void AnUnsafeMethodLeavesTheSpanAlone(string method)
    {
        using var activity = new Activity("request");
        McpSpanNames.Tag(activity, method, "decode_invoice");
        Assert.Null(McpSpanNames.SpanName(activity));
    }

    [Theory]
    [InlineData("decode_invoice", "decode_invoice")]
    [InlineData("=?base64?ZGVjb2RlX2ludm9pY2U=?=", "decode_invoice")]
    [InlineData("=?base64?not base64!?=", null)]
    public void McpNameHeadersMayBeBase64Wrapped(string header, string? expected) =>
        Assert.Equal(expected, McpSpanNames.DecodeHeaderValue(header));
}
