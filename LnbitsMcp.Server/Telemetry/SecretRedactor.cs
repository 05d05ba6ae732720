using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// The last line of defence for telemetry: every log line (every provider) and every exported span is
/// scrubbed of the secrets this process knows about, also text LNbits or a library echoed back.
/// </summary>
/// <remarks>
/// <para>Two kinds of registration, so that what callers send never decides the cost or the contents:</para>
/// <list type="bullet">
/// <item><see cref="Register(string?, TimeSpan)"/>, process-wide: only values this server issued (session
/// ids, MCP transport ids, confirmation tokens) or verified (the credentials of a configured session),
/// each for as long as it is live. Entries expire with their lifetime (refreshed on use); nothing a caller
/// sends can add to this set or push a live secret out of it.</item>
/// <item><see cref="RegisterForCall"/>: caller input and values seen while serving one request (an
/// <c>api_key</c> that failed its check, header credentials, preimages), kept in the current
/// <see cref="BeginScope">scope</see> only and forgotten with it (bounded per scope).</item>
/// </list>
/// <para>Keys, ids, tokens and preimages are runs of base64url/hex characters, so text is cut into such
/// runs and each run is looked up in a set: the cost is linear in the text, whatever the number of live
/// secrets. A run behind a JSON escape (<c>\u0022</c>, <c>\n</c>) is also looked up without the escape.
/// A secret with other characters (a password with spaces or symbols) is checked whole by substring search,
/// in its plain and JSON-escaped forms.</para>
/// </remarks>
public static class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>How long a value registered without a lifetime stays registered (refreshed on every use).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private const int MinLength = 8;
    private const int MinPartLength = 12;
    private const int MaxScopeValues = 64;
    private const long ExtendAfterMs = 5_000;
    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, long> s_tokens = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, long> s_complex = new(StringComparer.Ordinal);

    // The keys of s_complex, rebuilt (under the lock, so the last rebuild sees every change before it) whenever one is
    // added or removed. Redact runs for every log line and span tag and usually finds none: asking an empty
    // ConcurrentDictionary whether it is empty takes all its locks (≈ 30 ns each time, contended between cores).
    private static string[] s_complexKeys = [];
    private static readonly Lock s_complexKeysLock = new();
    private static readonly AsyncLocal<Scope?> s_scope = new();
    private static readonly SearchValues<char> s_tokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    private static long s_nextSweep;

    /// <summary>Number of values registered process-wide (issued or verified and still live).</summary>
    public static int RegisteredCount => s_tokens.Count + s_complex.Count;

    /// <summary>Registers a value we issued or verified for <see cref="DefaultLifetime"/>.</summary>
    public static void Register(string? value) => Register(value, DefaultLifetime);

    /// <summary>
    /// Registers a value we issued or verified, process-wide, until <paramref name="lifetime"/> passes
    /// (registering it again extends it). Never call this with unverified caller input: use
    /// <see cref="RegisterForCall"/>.
    /// </summary>
    public static void Register(string? value, TimeSpan lifetime)
    {
        if (value is null || value.Length < MinLength)
        {
            return;
        }

        var now = Environment.TickCount64;
        var expires = now + (long)Math.Min(lifetime.TotalMilliseconds, TimeSpan.FromDays(60).TotalMilliseconds);
        if (IsToken(value))
        {
            Remember(s_tokens, value, expires, now);
        }
        else
        {
            RememberComplex(value, expires);

            foreach (var part in value.Split(c => !s_tokenChars.Contains(c)))
            {
                if (part.Length >= MinPartLength)
                {
                    Remember(s_tokens, part, expires, now);
                }
            }
        }

        if (now >= Interlocked.Read(ref s_nextSweep))
        {
            Interlocked.Exchange(ref s_nextSweep, now + (long)s_sweepInterval.TotalMilliseconds);
            RemoveExpired(now);
        }
    }

    /// <summary>
    /// Scrubs the value from telemetry of the current scope (one request or tool call) only: for caller
    /// input and values that are not ours to keep. Outside a scope this does nothing.
    /// </summary>
    public static void RegisterForCall(string? value)
    {
        if (value is not null && value.Length >= MinLength)
        {
            s_scope.Value?.Add(value);
        }
    }

    /// <summary>
    /// Starts a redaction scope for the current async flow (a request, a tool call); values registered for
    /// the call are also given to the enclosing scope, so lines logged after the inner scope (the response)
    /// are scrubbed too. Dispose to end it.
    /// </summary>
    public static IDisposable BeginScope()
    {
        var scope = new Scope(s_scope.Value);
        s_scope.Value = scope;
        return scope;
    }

    /// <summary>The text with every registered value replaced by <c>***</c>.</summary>
    public static string Redact(string text)
    {
        if (text.Length < MinLength)
        {
            return text;
        }

        for (var scope = s_scope.Value; scope is not null; scope = scope.Parent)
        {
            text = scope.Redact(text);
        }

        var complex = Volatile.Read(ref s_complexKeys);
        if (complex.Length > 0)
        {
            var now = Environment.TickCount64;
            foreach (var secret in complex)
            {
                if (text.Contains(secret, StringComparison.Ordinal) && s_complex.TryGetValue(secret, out var expires) && expires > now)
                {
                    text = text.Replace(secret, Mask, StringComparison.Ordinal);
                }
            }
        }

        return s_tokens.IsEmpty ? text : RedactTokens(text);
    }

    /// <summary>A log or span value with registered secrets removed: text, and lists of text element by element.</summary>
    public static object? RedactValue(object? value) => value switch
    {
        string text => Redact(text),
        IEnumerable<string?> texts => texts.Select(t => t is null ? null : Redact(t)).ToArray(),
        IEnumerable<object?> items when value is not IEnumerable<KeyValuePair<string, object?>> => items.Select(RedactValue).ToArray(),
        _ => value,
    };

    private static bool IsToken(string value) => value.AsSpan().IndexOfAnyExcept(s_tokenChars) < 0;

    /// <summary>The value as it may appear in text: plain and JSON-escaped (a token has no character JSON escapes).</summary>
    private static IEnumerable<string> EscapedForms(string value)
    {
        if (IsToken(value))
        {
            return [value];
        }

        var forms = new HashSet<string>(StringComparer.Ordinal)
        {
            value,
            JsonEncodedText.Encode(value).ToString(),
            JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
        };
        return forms;
    }

    private static string RedactTokens(string text)
    {
        var lookup = s_tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        var now = Environment.TickCount64;
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
            var escape = start > 0 && span[start - 1] == '\\' ? EscapeLength(span.Slice(start, length)) : 0;
            var candidate = span.Slice(start + escape, length - escape);
            if (candidate.Length >= MinLength && lookup.TryGetValue(candidate, out var expires) && expires > now)
            {
                redacted ??= new StringBuilder(text.Length);
                redacted.Append(span[copied..(start + escape)]).Append(Mask);
                copied = start + length;
            }

            position = start + length;
        }

        return redacted is null ? text : redacted.Append(span[copied..]).ToString();
    }

    /// <summary>How many characters of a run that follows a backslash belong to a JSON escape (<c>u0022</c>, <c>n</c>).</summary>
    private static int EscapeLength(ReadOnlySpan<char> run)
    {
        if (run.Length > 5 && run[0] == 'u' && char.IsAsciiHexDigit(run[1]) && char.IsAsciiHexDigit(run[2]) && char.IsAsciiHexDigit(run[3]) && char.IsAsciiHexDigit(run[4]))
        {
            return 5;
        }

        return run.Length > 1 && run[0] is 'n' or 'r' or 't' or 'b' or 'f' ? 1 : 0;
    }

    // Its own method: the lambdas capture locals, and Register, which runs on every call, must not allocate their closure.
    private static void RememberComplex(string value, long expires)
    {
        var added = false;
        foreach (var form in EscapedForms(value))
        {
            s_complex.AddOrUpdate(form, _ => { added = true; return expires; }, (_, existing) => Math.Max(existing, expires));
        }

        if (added)
        {
            RebuildComplexKeys();
        }
    }

    /// <summary>
    /// Keeps <paramref name="value"/> until <paramref name="expires"/>. A value registered again and again for a long
    /// lifetime (a transport session's id, on each of its calls) is only read while its expiry is within
    /// <see cref="ExtendAfterMs"/> of the new one: a lock-free read instead of the update's bucket lock and write on each
    /// call. It then lives at most that much shorter than asked, and at least that much longer from now.
    /// </summary>
    private static void Remember(ConcurrentDictionary<string, long> set, string value, long expires, long now)
    {
        if (expires - now > 2 * ExtendAfterMs && set.TryGetValue(value, out var existing) && existing >= expires - ExtendAfterMs)
        {
            return;
        }

        set.AddOrUpdate(value, static (_, expires) => expires, static (_, existing, expires) => Math.Max(existing, expires), expires);
    }

    private static void RemoveExpired(long now)
    {
        var complexRemoved = false;
        foreach (var set in new[] { s_tokens, s_complex })
        {
            foreach (var (value, expires) in set)
            {
                if (expires <= now && set.TryRemove(KeyValuePair.Create(value, expires)) && set == s_complex)
                {
                    complexRemoved = true;
                }
            }
        }

        if (complexRemoved)
        {
            RebuildComplexKeys();
        }
    }

    private static void RebuildComplexKeys()
    {
        lock (s_complexKeysLock)
        {
            Volatile.Write(ref s_complexKeys, [.. s_complex.Keys]);
        }
    }

    private sealed class Scope(Scope? parent) : IDisposable
    {
        private readonly Lock _lock = new();
        private readonly List<string> _values = [];

        public Scope? Parent { get; } = parent;

        public void Add(string value)
        {
            lock (_lock)
            {
                if (_values.Count < MaxScopeValues && !_values.Contains(value))
                {
                    foreach (var form in EscapedForms(value))
                    {
                        _values.Add(form);
                    }
                }
            }

            Parent?.Add(value);
        }

        public string Redact(string text)
        {
            lock (_lock)
            {
                foreach (var value in _values)
                {
                    if (text.Contains(value, StringComparison.Ordinal))
                    {
                        text = text.Replace(value, Mask, StringComparison.Ordinal);
                    }
                }
            }

            return text;
        }

        public void Dispose()
        {
            if (ReferenceEquals(s_scope.Value, this))
            {
                s_scope.Value = Parent;
            }
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
