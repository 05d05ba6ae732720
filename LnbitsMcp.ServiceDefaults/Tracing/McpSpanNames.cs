using System.Diagnostics;
using System.Text;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What an MCP request carries, as tags on its HTTP request span (<c>mcp.method.name</c>,
/// <c>mcp.tool.name</c>); <see cref="McpRequestSpanNamer"/> then names the span after them
/// (<c>tools/call decode_invoice</c>, <c>initialize</c>, …). Values come from callers, so only short
/// names of safe characters are taken: a span name never carries arbitrary text.
/// </summary>
public static class McpSpanNames
{
    public const string MethodTag = "mcp.method.name";
    public const string ToolTag = "mcp.tool.name";
    public const string ToolsCallMethod = "tools/call";
    private const int MaxLength = 64;
    private const string Base64Prefix = "=?base64?";
    private const string Base64Suffix = "?=";

    /// <summary>Tags <paramref name="activity"/> with the method and, for <c>tools/call</c>, the tool name; ignores unsafe values.</summary>
    public static void Tag(Activity activity, string? method, string? toolName)
    {
        if (!IsSafeName(method))
        {
            return;
        }

        activity.SetTag(MethodTag, method);
        if (method == ToolsCallMethod && IsSafeName(toolName))
        {
            activity.SetTag(ToolTag, toolName);
        }
    }

    /// <summary>The span name for a tagged request span, or null when it carries no MCP method.</summary>
    public static string? SpanName(Activity activity) =>
        activity.GetTagItem(MethodTag) is string method
            ? activity.GetTagItem(ToolTag) is string tool ? $"{method} {tool}" : method
            : null;

    /// <summary>An <c>Mcp-Name</c> header value: plain, or <c>=?base64?…?=</c> for non-ASCII names (SEP-2243).</summary>
    public static string? DecodeHeaderValue(string? value)
    {
        if (value is null || !value.StartsWith(Base64Prefix, StringComparison.Ordinal) || !value.EndsWith(Base64Suffix, StringComparison.Ordinal))
        {
            return value;
        }

        var payload = value[Base64Prefix.Length..^Base64Suffix.Length];
        var buffer = new byte[payload.Length];
        return Convert.TryFromBase64String(payload, buffer, out var written) ? Encoding.UTF8.GetString(buffer, 0, written) : null;
    }

    private static bool IsSafeName(string? value) =>
        value is { Length: > 0 and <= MaxLength } && value.AsSpan().IndexOfAnyExcept(s_safe) < 0;

    private static readonly System.Buffers.SearchValues<char> s_safe =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./");
}
