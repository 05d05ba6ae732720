using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace LnbitsMcp.Server.Lightning;

/// <summary>
/// A LUD-06 payRequest (the response of a Lightning Address's well-known URL or an LNURL-pay link),
/// checked: tag <c>payRequest</c>, <c>1 ≤ minSendable ≤ maxSendable</c> (msat), metadata a JSON array with
/// exactly one <c>text/plain</c> entry, callback an absolute http(s) URL.
/// </summary>
public sealed record LnurlPayRequest
{
    public required Uri Callback { get; init; }

    public required long MinSendableMsat { get; init; }

    public required long MaxSendableMsat { get; init; }

    /// <summary>The <c>metadata</c> string exactly as received: hash this, never a re-serialisation.</summary>
    public required string Metadata { get; init; }

    /// <summary>The <c>text/plain</c> entry of the metadata.</summary>
    public required string Description { get; init; }

    /// <summary>The <c>text/long-desc</c> entry (LUD-20), if any.</summary>
    public string? LongDescription { get; init; }

    /// <summary>The <c>text/identifier</c> or <c>text/email</c> entry (LUD-16), if any.</summary>
    public string? Identifier { get; init; }

    /// <summary>Longest comment accepted (LUD-12); 0 when comments are not accepted.</summary>
    public int CommentAllowed { get; init; }

    /// <summary>LUD-18 payer-data keys the service marks mandatory (we send none, so such a request cannot be paid).</summary>
    public IReadOnlyList<string> MandatoryPayerData { get; init; } = [];

    /// <summary>Smallest whole-sat amount: <c>ceil(min / 1000)</c>.</summary>
    public long MinSendableSat => (MinSendableMsat + 999) / 1000;

    /// <summary>Largest whole-sat amount: <c>floor(max / 1000)</c>.</summary>
    public long MaxSendableSat => MaxSendableMsat / 1000;

    /// <summary>True when the service asks for one exact amount.</summary>
    public bool IsFixedAmount => MinSendableMsat == MaxSendableMsat;

    /// <summary>Parses a payRequest JSON document. Never throws.</summary>
    public static bool TryParse(
        string? json,
        [NotNullWhen(true)] out LnurlPayRequest? request,
        [NotNullWhen(false)] out string? error) =>
        LnurlJson.TryWithRoot(json, TryParse, out request, out error);

    /// <summary>Parses a payRequest JSON element (detects <c>{"status":"ERROR","reason":…}</c>). Never throws.</summary>
    public static bool TryParse(
        JsonElement element,
        [NotNullWhen(true)] out LnurlPayRequest? request,
        [NotNullWhen(false)] out string? error)
    {
        request = null;
        if (LnurlJson.IsErrorStatus(element, out error))
        {
            return false;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "payRequest is not a JSON object";
            return false;
        }

        if (LnurlJson.GetString(element, "tag") != "payRequest")
        {
            error = "not a payRequest (tag must be payRequest)";
            return false;
        }

        var callbackText = LnurlJson.GetString(element, "callback");
        if (callbackText is null
            || !Uri.TryCreate(callbackText, UriKind.Absolute, out var callback)
            || (callback.Scheme != Uri.UriSchemeHttps && callback.Scheme != Uri.UriSchemeHttp))
        {
            error = "payRequest callback is not an absolute http(s) URL";
            return false;
        }

        if (!LnurlJson.TryGetWholeNumber(element, "minSendable", out var min) || min < 1)
        {
            error = "payRequest minSendable must be a whole number of msat, at least 1";
            return false;
        }

        if (!LnurlJson.TryGetWholeNumber(element, "maxSendable", out var max) || max < min)
        {
            error = "payRequest maxSendable must be a whole number of msat, at least minSendable";
            return false;
        }

        var metadata = LnurlJson.GetString(element, "metadata");
        if (metadata is null)
        {
            error = "payRequest metadata must be a string";
            return false;
        }

        if (!TryReadMetadata(metadata, out var description, out var longDescription, out var identifier, out error))
        {
            return false;
        }

        var commentAllowed = LnurlJson.TryGetWholeNumber(element, "commentAllowed", out var allowed)
            ? (int)Math.Min(allowed, int.MaxValue)
            : 0;

        request = new LnurlPayRequest
        {
            Callback = callback,
            MinSendableMsat = min,
            MaxSendableMsat = max,
            Metadata = metadata,
            Description = description,
            LongDescription = longDescription,
            Identifier = identifier,
            CommentAllowed = commentAllowed,
            MandatoryPayerData = ReadMandatoryPayerData(element),
        };
        return true;
    }

    private static bool TryReadMetadata(
        string metadata,
        [NotNullWhen(true)] out string? description,
        out string? longDescription,
        out string? identifier,
        [NotNullWhen(false)] out string? error)
    {
        description = null;
        longDescription = null;
        identifier = null;
        try
        {
            using var document = JsonDocument.Parse(metadata, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = "payRequest metadata is not a JSON array";
                return false;
            }

            var plainCount = 0;
            var imageCount = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Array
                    || entry.GetArrayLength() < 2
                    || entry[0].ValueKind != JsonValueKind.String)
                {
                    error = "payRequest metadata entries must be [type, content] arrays";
                    return false;
                }

                var type = entry[0].GetString();
                var content = entry[1].ValueKind == JsonValueKind.String ? entry[1].GetString() : null;
                switch (type)
                {
                    case "text/plain":
                        plainCount++;
                        description = content;
                        break;
                    case "text/long-desc":
                        longDescription ??= content;
                        break;
                    case "text/identifier" or "text/email":
                        identifier ??= content;
                        break;
                    case "image/png;base64" or "image/jpeg;base64":
                        imageCount++;
                        break;
                }
            }

            if (plainCount != 1 || description is null)
            {
                error = "payRequest metadata must have exactly one text/plain entry";
                return false;
            }

            if (imageCount > 1)
            {
                error = "payRequest metadata has more than one image";
                return false;
            }
        }
        catch (JsonException)
        {
            error = "payRequest metadata is not valid JSON";
            return false;
        }

        error = null;
        return true;
    }

    private static IReadOnlyList<string> ReadMandatoryPayerData(JsonElement element)
    {
        if (!element.TryGetProperty("payerData", out var payerData) || payerData.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var mandatory = new List<string>();
        foreach (var property in payerData.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object
                && property.Value.TryGetProperty("mandatory", out var flag)
                && flag.ValueKind == JsonValueKind.True)
            {
                mandatory.Add(property.Name);
            }
        }

        return mandatory.AsReadOnly();
    }
}
