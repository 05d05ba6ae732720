using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace LnbitsMcp.Server.Lightning;

/// <summary>Small JSON helpers shared by the LNURL parsers.</summary>
internal static class LnurlJson
{
    private const int MaxReasonLength = 200;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    /// <summary>Parses <paramref name="json"/> and hands its root to <paramref name="parse"/>; never throws on bad JSON.</summary>
    public static bool TryWithRoot<T>(
        string? json,
        TryParseElement<T> parse,
        [NotNullWhen(true)] out T? result,
        [NotNullWhen(false)] out string? error)
        where T : class
    {
        result = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "empty response";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json, Options);
            return parse(document.RootElement, out result, out error);
        }
        catch (JsonException)
        {
            error = "response is not valid JSON";
            return false;
        }
    }

    public delegate bool TryParseElement<T>(JsonElement element, [NotNullWhen(true)] out T? result, [NotNullWhen(false)] out string? error)
        where T : class;

    /// <summary>Detects LUD-06's <c>{"status":"ERROR","reason":…}</c> and gives a cleaned-up reason.</summary>
    public static bool IsErrorStatus(JsonElement element, [NotNullWhen(true)] out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("status", out var status)
            || status.ValueKind != JsonValueKind.String
            || !string.Equals(status.GetString(), "ERROR", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var reason = element.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        error = $"service returned an error: {Clean(reason) ?? "no reason given"}";
        return true;
    }

    /// <summary>A string property, or null when absent or not a string.</summary>
    public static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A whole, non-negative number (integers, or decimals without a fraction such as <c>1000.0</c>).</summary>
    public static bool TryGetWholeNumber(JsonElement element, string name, out long value)
    {
        value = 0;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (property.TryGetInt64(out value))
        {
            return value >= 0;
        }

        if (property.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= 0 && d <= long.MaxValue)
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    /// <summary>Text from a remote service made safe to show: control characters removed, length capped.</summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxReasonLength));
        foreach (var c in text)
        {
            if (builder.Length >= MaxReasonLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
