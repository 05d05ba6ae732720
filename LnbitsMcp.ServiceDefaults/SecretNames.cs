using System.Text.RegularExpressions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Redaction by name, for values nobody registered: a log attribute or span tag named like a secret
/// (the MCP SDK logs <c>{SessionId}</c> before we see that id), a JSON property named like one (the SDK
/// logs whole JSON-RPC messages at Trace, with <c>session_id</c> arguments and <c>preimage</c> results,
/// also inside JSON-escaped text), and query parameters (<c>?sessionId=</c>, <c>?api-key=</c>).
/// </summary>
public static partial class SecretNames
{
    public const string Mask = "***";

    private static readonly HashSet<string> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        "sessionid", "mcpsessionid", "apikey", "xapikey", "xlnbitsapikey", "password", "token", "accesstoken", "refreshtoken",
        "bearertoken", "preimage", "authorization", "proxyauthorization", "cookie", "setcookie", "secret", "confirmationtoken", "approvalid",
        "edgesecret", "xlnbitsmcpedgesecret",
    };

    /// <summary>True for names like <c>SessionId</c>, <c>session_id</c>, <c>X-Api-Key</c>, <c>http.request.header.authorization</c>.</summary>
    public static bool IsSecret(string name)
    {
        // Asked for every span tag and log attribute: the last segment without '_' and '-', looked up without allocating.
        Span<char> normalized = stackalloc char[MaxNameLength];
        var length = 0;
        foreach (var c in name.AsSpan(name.LastIndexOf('.') + 1))
        {
            if (c is '_' or '-')
            {
                continue;
            }

            if (length == MaxNameLength)
            {
                return false;
            }

            normalized[length++] = c;
        }

        return s_lookup.Contains(normalized[..length]);
    }

    /// <summary>
    /// <see cref="IsSecret"/> for the names of span tags and log attributes, asked for each of them on every request: those
    /// names are the same string instances each time (constants, a log template's parsed names), so answers are kept by
    /// reference, for the first <see cref="MaxKeptAnswers"/> names; a lookup of one is cheaper than reading the name.
    /// Not for names from a request's content (new strings each time): use <see cref="IsSecret"/>.
    /// </summary>
    public static bool IsSecretTelemetryName(string name)
    {
        if (s_answers.TryGetValue(name, out var secret))
        {
            return secret;
        }

        secret = IsSecret(name);
        if (Volatile.Read(ref s_answerCount) < MaxKeptAnswers && s_answers.TryAdd(name, secret))
        {
            Interlocked.Increment(ref s_answerCount);
        }

        return secret;
    }

    private const int MaxKeptAnswers = 1024;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> s_answers = new(ReferenceEqualityComparer.Instance);
    private static int s_answerCount;

    /// <summary>Longer than every secret name without its separators.</summary>
    private const int MaxNameLength = 64;

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_lookup = s_names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The text with the values of secret-named JSON properties and query parameters replaced by <c>***</c>.</summary>
    public static string ScrubNamedValues(string text)
    {
        if (text.Contains('"', StringComparison.Ordinal))
        {
            text = JsonProperty().Replace(text, match => match.Groups["value"].Length == 0 ? match.Value : match.Groups["head"].Value + Mask);
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            text = QueryParameter().Replace(text, match => match.Groups["head"].Value + Mask);
        }

        return text;
    }

    /// <summary>
    /// A log attribute or span tag value: masked whole when its name is secret, else text scrubbed with
    /// <paramref name="scrub"/> (lists element by element).
    /// </summary>
    public static object? ScrubValue(string name, object? value, Func<string, string> scrub) => value switch
    {
        null => null,
        string { Length: 0 } => value,
        _ when IsSecretTelemetryName(name) => Mask,
        string text => scrub(text),
        IEnumerable<string?> texts => ScrubEach(texts, scrub),
        _ => value,
    };

    // Its own method: a lambda capturing a parameter makes the compiler allocate the closure on entry to the method
    // that declares it, and ScrubValue runs for every tag of every span.
    private static string?[] ScrubEach(IEnumerable<string?> texts, Func<string, string> scrub) =>
        texts.Select(t => t is null ? null : scrub(t)).ToArray();

    // "session_id": "value" — also escaped inside a JSON string (\"session_id\":\"value\"); the value runs to
    // the next quote that is not escaped at the same depth.
    [GeneratedRegex("""(?<head>\\*"(?:__session_id|session_id|sessionId|api_key|apiKey|password|bearer_token|access_token|refresh_token|confirmation_token|approval_id|preimage|authorization|token)\\*"\s*:\s*\\*")(?<value>(?:[^"\\]|\\(?!\\*"))*)""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonProperty();

    [GeneratedRegex("""(?<head>[?&](?:sessionId|session_id|api-key|api_key|access_token|token)=)[^&\s"'#]+""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex QueryParameter();
}
