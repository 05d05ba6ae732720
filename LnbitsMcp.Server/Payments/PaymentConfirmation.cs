using System.Globalization;
using System.Text.Json;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Above the confirmation threshold a payment needs the user's yes: a client with elicitation is asked,
/// otherwise the call answers <c>confirmation_required</c> with a one-time token bound to this session and
/// this payment. Returns only when the payment may go ahead.
/// </summary>
public sealed class PaymentConfirmation(IConfirmationTokens confirmationTokens, PaymentAudit audit, IOptions<PaymentOptions> options)
{
    private PaymentOptions Options => options.Value;

    public async Task ConfirmAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var amountSat = intent.AmountSatCeiling;
        if (amountSat <= limits.ConfirmAboveSats)
        {
            return;
        }

        var (payee, memo) = (intent.Payee, intent.Memo);
        var ledgerKey = call.Connection.LedgerKey;
        if (call.ConfirmationToken is { Length: > 0 } token)
        {
            if (await confirmationTokens.RedeemAsync(token, ledgerKey, intent.Subject, cancellationToken))
            {
                audit.Record(call, "confirmed_by_token", amountSat);
                return;
            }

            audit.Refused(call, ToolErrorCodes.ConfirmationRequired, intent.AmountMsat);
            throw new ToolException(ToolErrorCodes.ConfirmationRequired,
                "The confirmation_token is invalid, expired, already used, or for another payment. Call again without it to get a new one after the user confirms.");
        }

        if (call.Server.ClientCapabilities?.Elicitation is not null)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"Pay {amountSat} sats to {payee}{(string.IsNullOrWhiteSpace(memo) ? string.Empty : $" for \"{memo}\"")}? This spends real money from your LNbits wallet.");
            var answer = await call.Server.ElicitAsync(new ElicitRequestParams
            {
                Message = message,
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                    {
                        ["confirm"] = new ElicitRequestParams.BooleanSchema { Title = "Pay", Description = message, Default = false },
                    },
                    Required = ["confirm"],
                },
            }, cancellationToken);
            if (answer.IsAccepted && answer.Content is { } content && content.TryGetValue("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.True)
            {
                audit.Record(call, "confirmed", amountSat);
                return;
            }

            audit.Record(call, "declined", amountSat);
            throw new ToolException(ToolErrorCodes.ConfirmationDeclined, "The user declined the payment. Nothing was paid.");
        }

        var issued = await confirmationTokens.IssueAsync(ledgerKey, intent.Subject, Options.ConfirmationTokenLifetime, cancellationToken);
        audit.Record(call, "confirmation_required", amountSat);
        throw new ToolException(ToolErrorCodes.ConfirmationRequired,
            string.Create(CultureInfo.InvariantCulture,
                $"Payments over {limits.ConfirmAboveSats} sats need the user's confirmation. Show the user: {amountSat} sats to {payee}{(string.IsNullOrWhiteSpace(memo) ? string.Empty : $" ({memo})")}. Only if they agree, call again with confirmation_token (valid {Options.ConfirmationTokenLifetime.TotalSeconds:F0} s, once)."),
            new Dictionary<string, object?>
            {
                ["confirmation_token"] = issued,
                ["expires_in_seconds"] = (long)Options.ConfirmationTokenLifetime.TotalSeconds,
                ["amount_sat"] = amountSat,
                ["payee"] = payee,
                ["memo"] = memo,
            });
    }
}
