using System.Text;

namespace LnbitsMcp.Server.L402;

/// <summary>
/// Reads L402 challenges from <c>WWW-Authenticate</c> values (RFC 9110 §11.6.1 syntax: several challenges per value,
/// parameters as tokens or quoted strings) per lightninglabs/L402 <c>protocol-specification.md</c>:
/// <c>L402 version="0", token="…", invoice="…"</c>, the older <c>L402 macaroon="…", invoice="…"</c> and the former
/// scheme <c>LSAT</c>. An L402 challenge wins over an LSAT one. Pure.
/// </summary>
public static class L402ChallengeParser
{
    /// <summary>The challenge to answer, or null with the reason none can be used.</summary>
    public static L402Challenge? Parse(IEnumerable<string> headerValues, out string? problem)
    {
        L402Challenge? lsat = null;
        problem = "the 402 answer has no WWW-Authenticate challenge of the L402 (or LSAT) scheme";
        foreach (var value in headerValues)
        {
            foreach (var (scheme, parameters) in Challenges(value))
            {
                var isL402 = scheme.Equals("L402", StringComparison.OrdinalIgnoreCase);
                if (!isL402 && !scheme.Equals("LSAT", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (parameters.TryGetValue("version", out var version) && version != "0")
                {
                    problem = $"the L402 challenge has version \"{version}\"; only version 0 is supported";
                    continue;
                }

                var token = parameters.GetValueOrDefault("token") ?? parameters.GetValueOrDefault("macaroon");
                var invoice = parameters.GetValueOrDefault("invoice");
                if (string.IsNullOrWhiteSpace(token) || string.IsNullOrWhiteSpace(invoice))
                {
                    problem = "the L402 challenge lacks its token (token= or macaroon=) or its invoice (invoice=)";
                    continue;
                }

                if (token.Any(c => c is ':' or ' ' or ',' || char.IsControl(c)))
                {
                    problem = "the L402 challenge's token has characters a credential cannot carry";
                    continue;
                }

                var challenge = new L402Challenge(isL402 ? "L402" : "LSAT", token, invoice);
                if (isL402)
                {
                    problem = null;
                    return challenge;
                }

                lsat ??= challenge;
            }
        }

        if (lsat is not null)
        {
            problem = null;
        }

        return lsat;
    }

    /// <summary>The challenges of one header value: scheme and parameters (names lowercased).</summary>
    internal static IEnumerable<(string Scheme, Dictionary<string, string> Parameters)> Challenges(string value)
    {
        var position = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipSeparators(value, ref position);
            if (position >= value.Length)
            {
                break;
            }

            var name = ReadToken(value, ref position);
            if (name.Length == 0)
            {
                position++; // not a token character: skip it
                continue;
            }

            var afterName = position;
            SkipSpaces(value, ref position);
            if (position < value.Length && value[position] == '=' && scheme is not null)
            {
                position++;
                SkipSpaces(value, ref position);
                var parameterValue = position < value.Length && value[position] == '"' ? ReadQuoted(value, ref position) : ReadBare(value, ref position);
                parameters.TryAdd(name, parameterValue);
                continue;
            }

            // A token not followed by '=' starts a new challenge (token68 values are not used by L402).
            if (scheme is not null)
            {
                yield return (scheme, parameters);
            }

            scheme = name;
            parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            position = afterName;
        }

        if (scheme is not null)
        {
            yield return (scheme, parameters);
        }
    }

    private static void SkipSeparators(string value, ref int position)
    {
        while (position < value.Length && (value[position] is ' ' or '\t' or ','))
        {
            position++;
        }
    }

    private static void SkipSpaces(string value, ref int position)
    {
        while (position < value.Length && (value[position] is ' ' or '\t'))
        {
            position++;
        }
    }

    private static string ReadToken(string value, ref int position)
    {
        var start = position;
        while (position < value.Length && IsTokenChar(value[position]))
        {
            position++;
        }

        return value[start..position];
    }

    /// <summary>An unquoted value up to the next comma or space (base64 padding '=' included).</summary>
    private static string ReadBare(string value, ref int position)
    {
        var start = position;
        while (position < value.Length && value[position] is not (',' or ' ' or '\t'))
        {
            position++;
        }

        return value[start..position];
    }

    private static string ReadQuoted(string value, ref int position)
    {
        var text = new StringBuilder();
        position++; // opening quote
        while (position < value.Length && value[position] != '"')
        {
            if (value[position] == '\\' && position + 1 < value.Length)
            {
                position++;
            }

            text.Append(value[position]);
            position++;
        }

        position++; // closing quote
        return text.ToString();
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~/".Contains(c, StringComparison.Ordinal);
}
