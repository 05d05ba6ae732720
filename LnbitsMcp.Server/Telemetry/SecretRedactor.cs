using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// The last line of defence for telemetry: every credential, raw session id and preimage this
/// process handles is registered here, and every exported log record and span is scrubbed of them
/// (also text LNbits or a library echoed back). Bounded: the oldest values are forgotten first.
/// </summary>
/// <remarks>
/// Keys, ids, tokens and preimages are runs of base64url/hex characters, so text is cut into such
/// runs and each run is looked up in a set: the cost is linear in the text, whatever the number of
/// live secrets. A secret with other characters (a password with spaces or symbols) is also
/// registered by its long runs, and checked whole by substring search.
/// </remarks>
public static class SecretRedactor
{
    public const string Mask = "***";
    private const int MinLength = 8;
    private const int MinPartLength = 12;
    private const int Capacity = 50_000;
    private static readonly ConcurrentDictionary<string, byte> s_tokens = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> s_complex = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<string> s_order = new();
    private static readonly SearchValues<char> s_tokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static void Register(string? value)
    {
        if (value is null || value.Length < MinLength)
        {
            return;
        }

        if (value.AsSpan().IndexOfAnyExcept(s_tokenChars) < 0)
        {
            Remember(s_tokens, value);
            return;
        }

        Remember(s_complex, value);
        foreach (var part in value.Split(c => !s_tokenChars.Contains(c)))
        {
            if (part.Length >= MinPartLength)
            {
                Remember(s_tokens, part);
            }
        }
    }

    /// <summary>The text with every registered value replaced by <c>***</c>.</summary>
    public static string Redact(string text)
    {
        if (text.Length < MinLength)
        {
            return text;
        }

        foreach (var secret in s_complex.Keys)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return s_tokens.IsEmpty ? text : RedactTokens(text);
    }

    public static object? RedactValue(object? value) => value is string text ? Redact(text) : value;

    private static string RedactTokens(string text)
    {
        var lookup = s_tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        StringBuilder? redacted = null;
        var copied = 0;
        var span = text.AsSpan();
        var position = 0;
        while (position < span.Length)
        {
            var start = span[position..].IndexOfAny(s_tokenChars);
            if (start < 0)
            {
                break;
            }

            start += position;
            var length = span[start..].IndexOfAnyExcept(s_tokenChars);
            length = length < 0 ? span.Length - start : length;
            if (length >= MinLength && lookup.ContainsKey(span.Slice(start, length)))
            {
                redacted ??= new StringBuilder(text.Length);
                redacted.Append(span[copied..start]).Append(Mask);
                copied = start + length;
            }

            position = start + length;
        }

        return redacted is null ? text : redacted.Append(span[copied..]).ToString();
    }

    private static void Remember(ConcurrentDictionary<string, byte> set, string value)
    {
        if (!set.TryAdd(value, 0))
        {
            return;
        }

        s_order.Enqueue(value);
        while (s_tokens.Count + s_complex.Count > Capacity && s_order.TryDequeue(out var oldest))
        {
            s_tokens.TryRemove(oldest, out _);
            s_complex.TryRemove(oldest, out _);
        }
    }
}

internal static class StringSplitExtensions
{
    public static IEnumerable<string> Split(this string text, Func<char, bool> isSeparator)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || isSeparator(text[i]))
            {
                if (i > start)
                {
                    yield return text[start..i];
                }

                start = i + 1;
            }
        }
    }
}
