using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Invoices;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary>The bolt11 library's <c>Bolt11.data</c> dict, as <c>POST /api/v1/payments/decode</c> returns it.</summary>
internal static class DecodeView
{
    /// <summary>The dict; a fallback the library cannot render raises <see cref="Bolt11DecodeException"/>.</summary>
    public static JsonObject From(Bolt11Invoice invoice)
    {
        var data = new JsonObject
        {
            ["currency"] = invoice.Currency,
            ["amount_msat"] = invoice.AmountMsat ?? 0,
            ["date"] = invoice.Timestamp,
            ["signature"] = invoice.SignatureHex,
            ["expiry"] = invoice.Expiry,
            ["payment_hash"] = invoice.PaymentHash,
        };
        AddIfSet(data, "payment_secret", invoice.PaymentSecret);
        AddIfSet(data, "description", invoice.Description);
        AddIfSet(data, "description_hash", invoice.DescriptionHash);
        AddIfSet(data, "metadata", invoice.Metadata);
        if (invoice.Features is { } features)
        {
            var readable = new JsonObject();
            foreach (var (name, state) in features)
            {
                readable[name] = state;
            }

            data["features"] = readable;
        }

        if (invoice.FallbackGroups is { } fallback && FallbackAddress.Format(invoice.Currency, fallback) is { } address)
        {
            data["fallback"] = address;
        }

        if (invoice.RouteHints.Count > 0)
        {
            data["route_hints"] = new JsonArray([.. invoice.RouteHints.Select(hint => (JsonNode)new JsonArray([.. hint.Select(hop => (JsonNode)new JsonObject
            {
                ["public_key"] = hop.PublicKey,
                ["short_channel_id"] = hop.ShortChannelId,
                ["base_fee"] = hop.BaseFee,
                ["ppm_fee"] = hop.PpmFee,
                ["cltv_expiry_delta"] = hop.CltvExpiryDelta,
            })]))]);
        }

        data["min_final_cltv_expiry"] = invoice.MinFinalCltvExpiry;
        data["payee"] = invoice.Payee;
        return data;
    }

    /// <summary>LNbits' <c>filter_dict_keys</c>: keep only the named keys (all when none are named).</summary>
    public static JsonObject Filter(JsonObject data, IReadOnlyCollection<string>? fields)
    {
        if (fields is null || fields.Count == 0)
        {
            return data;
        }

        var filtered = new JsonObject();
        foreach (var (key, value) in data)
        {
            if (fields.Contains(key))
            {
                filtered[key] = value?.DeepClone();
            }
        }

        return filtered;
    }

    private static void AddIfSet(JsonObject data, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            data[key] = value;
        }
    }
}
