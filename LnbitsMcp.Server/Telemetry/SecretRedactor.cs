using System.Collections.Concurrent;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// The last line of defence for telemetry: every credential, raw session id and preimage this
/// process handles is registered here, and every exported log record and span is scrubbed of them
/// (also text LNbits or a library echoed back). Bounded: the oldest values are forgotten first.
/// </summary>
public static class SecretRedactor
{
    public const string Mask = "***";
    private const int MinLength = 8;
    private const int Capacity = 50_000;
    private static readonly ConcurrentDictionary<string, byte> s_values = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<string> s_order = new();

    public static void Register(string? value)
    {
        if (value is null || value.Length < MinLength || !s_values.TryAdd(value, 0))
        {
            return;
        }

        s_order.Enqueue(value);
        while (s_values.Count > Capacity && s_order.TryDequeue(out var oldest))
        {
            s_values.TryRemove(oldest, out _);
        }
    }

    /// <summary>The text with every registered value replaced by <c>***</c>.</summary>
    public static string Redact(string text)
    {
        if (text.Length < MinLength || s_values.IsEmpty)
        {
            return text;
        }

        foreach (var value in s_values.Keys)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    public static object? RedactValue(object? value) => value is string text ? Redact(text) : value;
}
