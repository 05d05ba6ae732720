using System.Text.Json;
using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Lnurl;

/// <summary>A parsed LUD-06 payRequest; <see cref="Metadata"/> is the raw string.</summary>
internal sealed record PayRequestData(Uri Callback, long MinSendable, long MaxSendable, string Metadata, int CommentAllowed)
{
    /// <summary>The metadata's text/plain entry.</summary>
    public string Text
    {
        get
        {
            try
            {
                if (JsonNode.Parse(Metadata) is JsonArray entries)
                {
                    foreach (var entry in entries.OfType<JsonArray>())
                    {
                        if (entry.Count >= 2 && entry[0]?.GetValue<string>() == "text/plain")
                        {
                            return entry[1]?.GetValue<string>() ?? string.Empty;
                        }
                    }
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                return string.Empty;
            }

            return string.Empty;
        }
    }

    /// <summary>Parses an LNURL response as a payRequest; <c>{"status":"ERROR"}</c> raises its reason.</summary>
    public static PayRequestData Parse(JsonNode? node)
    {
        if (node is not JsonObject json)
        {
            throw new LnurlException("Invalid LNURL response. Expected LnurlPayResponse.");
        }

        if (IsError(json, out var reason))
        {
            throw new LnurlException(reason);
        }

        try
        {
            if (json["tag"]?.GetValue<string>() != "payRequest"
                || !Uri.TryCreate(json["callback"]?.GetValue<string>(), UriKind.Absolute, out var callback)
                || json["metadata"]?.GetValue<string>() is not { } metadata)
            {
                throw new LnurlException("Invalid LNURL response. Expected LnurlPayResponse.");
            }

            var min = json["minSendable"]?.GetValue<long>() ?? 0;
            var max = json["maxSendable"]?.GetValue<long>() ?? 0;
            var commentAllowed = json["commentAllowed"]?.GetValue<int>() ?? 0;
            if (min < 1 || max < min)
            {
                throw new LnurlException("Invalid LNURL response. Expected LnurlPayResponse.");
            }

            return new PayRequestData(callback, min, max, metadata, commentAllowed);
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException)
        {
            throw new LnurlException("Invalid LNURL response. Expected LnurlPayResponse.");
        }
    }

    public static bool IsError(JsonObject json, out string reason)
    {
        reason = string.Empty;
        if (json["status"] is JsonValue status && status.TryGetValue<string>(out var text)
            && string.Equals(text, "ERROR", StringComparison.OrdinalIgnoreCase))
        {
            reason = json["reason"] is JsonValue r && r.TryGetValue<string>(out var message) ? message : string.Empty;
            return true;
        }

        return false;
    }
}
