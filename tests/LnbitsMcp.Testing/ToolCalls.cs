using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace LnbitsMcp.Testing;

/// <summary>Calling tools and reading the contract's result shapes.</summary>
public static class ToolCalls
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<JsonElement> CallOkAsync(this McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallRawAsync(tool, arguments);
        var structured = result.StructuredContent ?? throw new Xunit.Sdk.XunitException($"{tool} returned no structured content");
        Assert.False(result.IsError == true, $"{tool} failed: {Text(result)}");
        return structured;
    }

    /// <summary>Calls a tool that must fail with <paramref name="code"/>; returns the error object.</summary>
    public static async Task<JsonElement> CallErrorAsync(this McpClient client, string tool, string code, object? arguments = null) =>
        ErrorOf(await client.CallRawAsync(tool, arguments), tool, code);

    /// <summary>
    /// Calls a read-only tool until it fails, which must be with <paramref name="code"/> within <paramref name="within"/>;
    /// returns the error object. Right after Redis stops, an instance still answers a read from a copy of the session it
    /// confirmed within the last second (<c>RedisSessionStore.RecentWindow</c>) if it has not yet seen its connection go.
    /// </summary>
    public static async Task<JsonElement> CallUntilErrorAsync(this McpClient client, string tool, string code, TimeSpan within, object? arguments = null)
    {
        var deadline = DateTime.UtcNow + within;
        var result = await client.CallRawAsync(tool, arguments);
        while (result.IsError != true && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            result = await client.CallRawAsync(tool, arguments);
        }

        return ErrorOf(result, tool, code);
    }

    private static JsonElement ErrorOf(CallToolResult result, string tool, string code)
    {
        Assert.True(result.IsError == true, $"{tool} should have failed with {code} but returned: {Text(result)}");
        var error = result.StructuredContent!.Value.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.StartsWith(code + ": ", Text(result), StringComparison.Ordinal);
        return error;
    }

    public static async Task<CallToolResult> CallRawAsync(this McpClient client, string tool, object? arguments = null)
    {
        var dictionary = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return await client.CallToolAsync(tool, dictionary).AsTask().WaitAsync(Timeout);
    }

    /// <summary>What a paying call came to: its error code, or its result's <c>status</c>.</summary>
    public static string? Outcome(CallToolResult result) =>
        result.IsError == true
            ? result.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString()
            : result.StructuredContent!.Value.GetProperty("status").GetString();

    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
