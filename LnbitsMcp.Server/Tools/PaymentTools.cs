using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tools;

[McpServerToolType]
public sealed class PaymentTools(SessionAccess access, InvoicePayment invoices, LightningAddressPayment addresses)
{
    private const string SafetyText =
        " Refused before anything is sent when the invoice is invalid, expired, amountless, for another network, over the " +
        "per-payment limit or the 24-hour budget, or already paid from this wallet. Payments above the confirmation threshold wait " +
        "for the user's approval, which you cannot give: the client asks the user, or the call answers confirmation_required with " +
        "an approval_url to show the user and an approval_id; after the user approved on that page, repeat the same call with " +
        "approval_id. dry_run reports what would happen and pays nothing. A payment is sent once and never retried.";

    internal const string ApprovalIdText =
        "The approval_id from a confirmation_required error: repeat the same call with it after the user approved the payment on its approval page. It pays once.";

    internal const string TokenText =
        "Only where the operator enabled it (Payments:AllowTokenConfirmation): the one-time token from a confirmation_required error, after the user approved this exact payment.";

    [McpServerTool(Title = "Pay invoice", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(PaymentResult))]
    [Description("PAYS a BOLT11 Lightning invoice from the configured wallet: this spends real money. Decode it and make sure the user asked for it first." + SafetyText)]
    public Task<CallToolResult> PayInvoiceAsync(
        McpServer server,
        RequestContext<CallToolRequestParams> request,
        [Description("The BOLT11 invoice to pay (must carry an amount).")] string bolt11,
        [Description("true: only report what would happen (amount, fee reserve, limits left, balance); pay nothing.")] bool dry_run = false,
        [Description(ApprovalIdText)] string? approval_id = null,
        [Description(TokenText)] string? confirmation_token = null,
        CancellationToken cancellationToken = default) =>
        RunAsync("pay_invoice", server, request, dry_run, approval_id, confirmation_token, call => invoices.PayAsync(call, bolt11, cancellationToken));

    [McpServerTool(Title = "Pay Lightning Address", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(PaymentResult))]
    [Description("PAYS sats (or a fiat amount LNbits converts to sats) to a Lightning Address (user@domain, LNURL-pay) from the configured wallet: this spends real money. " +
        "The server resolves the address, checks the amount range and comment length, and pays only an invoice whose amount, " +
        "description hash and expiry match the request." + SafetyText)]
    public Task<CallToolResult> PayLightningAddressAsync(
        McpServer server,
        RequestContext<CallToolRequestParams> request,
        [Description("The Lightning Address, e.g. alice@example.com.")] string lightning_address,
        [Description("Amount to send, in sats (at least 1). Or give amount with currency instead.")][Range(1, 2_100_000_000_000_000)] long? amount_sats = null,
        [Description("Amount in currency, e.g. 2.50 (LNbits converts it to sats at its own rate; limits apply to the sats).")] double? amount = null,
        [Description("ISO 4217 code of amount, e.g. USD or EUR. Omit (or sat) for sats.")] string? currency = null,
        [Description("Optional comment for the recipient (only if the address allows comments; its length limit applies).")] string? comment = null,
        [Description("true: only report what would happen; pay nothing.")] bool dry_run = false,
        [Description(ApprovalIdText)] string? approval_id = null,
        [Description(TokenText)] string? confirmation_token = null,
        CancellationToken cancellationToken = default) =>
        RunAsync("pay_lightning_address", server, request, dry_run, approval_id, confirmation_token,
            call => addresses.PayAsync(call, lightning_address, amount_sats, amount, currency, comment, cancellationToken));

    private async Task<CallToolResult> RunAsync(string tool, McpServer server, RequestContext<CallToolRequestParams> request, bool dryRun, string? approvalId, string? confirmationToken, Func<PaymentCall, Task<PaymentResult>> pay)
    {
        var connection = access.RequireLnbits();
        var call = new PaymentCall(tool, connection, server, connection.Session?.Hint ?? access.Call.SessionHint, dryRun, confirmationToken)
        {
            ApprovalId = approvalId?.Trim(),
            Owner = access.Call.Owner,
            Request = request,
        };
        return ToolResults.Success(await pay(call));
    }
}
