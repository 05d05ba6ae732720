using System.Globalization;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Invoices;

namespace LnbitsMcp.LnbitsSandbox.Lnurl;

/// <summary>The payer side of LNURL-pay as LNbits ≥ 1.3 runs it server-side (lnurl library <c>handle</c> and
/// <c>execute_pay_request</c>): range and comment checks, callback, amount match. Description hash is not checked.</summary>
internal sealed class LnurlPayer(LnurlHttp http)
{
    private static readonly TimeSpan HandleTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CallbackTimeout = TimeSpan.FromSeconds(10);

    public async Task<PayRequestData> FetchPayRequestAsync(Uri url, CancellationToken cancellationToken)
    {
        var response = await http.GetJsonAsync(url, HandleTimeout, cancellationToken);
        return PayRequestData.Parse(response);
    }

    /// <summary>Requests the invoice; returns the <c>pr</c> and the raw callback answer (for successAction).</summary>
    public async Task<(string Bolt11, JsonObject Response)> ExecuteAsync(
        PayRequestData payRequest,
        long amountMsat,
        string? comment,
        CancellationToken cancellationToken)
    {
        if (amountMsat < payRequest.MinSendable || amountMsat > payRequest.MaxSendable)
        {
            throw new LnurlException($"Amount {amountMsat} not in range {payRequest.MinSendable} - {payRequest.MaxSendable}");
        }

        var parameters = new List<KeyValuePair<string, string>> { new("amount", amountMsat.ToString(CultureInfo.InvariantCulture)) };
        if (payRequest.CommentAllowed > 0 && !string.IsNullOrEmpty(comment))
        {
            if (comment.Length > payRequest.CommentAllowed)
            {
                throw new LnurlException($"Comment length {comment.Length} exceeds allowed length {payRequest.CommentAllowed}");
            }

            parameters.Add(new("comment", comment));
        }

        var node = await http.GetJsonAsync(LnurlHttp.WithQuery(payRequest.Callback, parameters), CallbackTimeout, cancellationToken);
        if (node is not JsonObject response)
        {
            throw new LnurlException("Expected LnurlPayActionResponse, got <class 'lnurl.models.LnurlResponseModel'>");
        }

        if (PayRequestData.IsError(response, out var reason))
        {
            throw new LnurlException(reason);
        }

        if (response["pr"] is not JsonValue prValue || !prValue.TryGetValue<string>(out var pr))
        {
            throw new LnurlException("Expected LnurlPayActionResponse, got <class 'lnurl.models.LnurlResponseModel'>");
        }

        if (!Bolt11Decoder.TryDecode(pr, out var invoice, out var error) || invoice is null)
        {
            throw new LnurlException(error ?? "Invalid invoice");
        }

        if (invoice.AmountMsat != amountMsat)
        {
            var got = invoice.AmountMsat?.ToString(CultureInfo.InvariantCulture) ?? "None";
            throw new LnurlException(
                $"{payRequest.Callback.Host} returned an invalid invoice.Excepted `{amountMsat}` msat, got `{got}`.");
        }

        return (pr, response);
    }
}
