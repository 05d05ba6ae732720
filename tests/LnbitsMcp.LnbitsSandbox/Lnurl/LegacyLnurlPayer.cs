using System.Globalization;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Invoices;

namespace LnbitsMcp.LnbitsSandbox.Lnurl;

/// <summary>LNbits before 1.3: the client passes the callback; LNbits calls it with amount and comment and checks
/// ERROR, a missing <c>pr</c> and the amount (old wording: "&lt;domain&gt; said: '…'").</summary>
internal sealed class LegacyLnurlPayer(IHttpClientFactory factory)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    public async Task<(string Bolt11, JsonObject Response)> RequestInvoiceAsync(
        Uri callback,
        long amountMsat,
        string? comment,
        CancellationToken cancellationToken)
    {
        var domain = callback.Authority;
        var parameters = new List<KeyValuePair<string, string>> { new("amount", amountMsat.ToString(CultureInfo.InvariantCulture)) };
        if (comment is not null)
        {
            parameters.Add(new("comment", comment));
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(Timeout);
        string body;
        try
        {
            using var response = await factory.CreateClient(LnurlHttp.ClientName)
                .GetAsync(LnurlHttp.WithQuery(callback, parameters), timeoutSource.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new LnurlException($"Failed to connect to {domain}.");
            }

            body = await response.Content.ReadAsStringAsync(timeoutSource.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new LnurlException($"Failed to connect to {domain}.");
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new LnurlException("Expecting value: line 1 column 1 (char 0)");
        }

        if (parsed is not JsonObject json)
        {
            throw new LnurlException($"{domain} did not return a payment request.");
        }

        if (PayRequestData.IsError(json, out var reason))
        {
            throw new LnurlException($"{domain} said: '{reason}'");
        }

        if (json["pr"] is not JsonValue prValue || !prValue.TryGetValue<string>(out var pr) || pr.Length == 0)
        {
            throw new LnurlException($"{domain} did not return a payment request.");
        }

        var invoice = Bolt11Decoder.Decode(pr);
        if (invoice.AmountMsat != amountMsat)
        {
            var got = invoice.AmountMsat?.ToString(CultureInfo.InvariantCulture) ?? "None";
            throw new LnurlException($"{domain} returned an invalid invoice. Expected {amountMsat} msat, got {got}.");
        }

        return (pr, json);
    }
}
