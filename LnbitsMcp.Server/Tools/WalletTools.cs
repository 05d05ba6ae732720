using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tools;

[McpServerToolType]
public sealed class WalletTools(SessionAccess access, LnbitsClientFactory clients)
{
    [McpServerTool(Title = "Wallet details", ReadOnly = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WalletDetailsResult))]
    [Description("Reads the configured LNbits wallet: its name, balance (msat and whole sats) and whether the key is an admin key " +
        "(can pay) or an invoice key (read-only). The wallet id is shown only to admin keys.")]
    public async Task<CallToolResult> GetWalletDetailsAsync(CancellationToken cancellationToken)
    {
        var connection = access.RequireLnbits();
        var (wallet, keyType) = await clients.Create(connection.Settings).ProbeAsync(cancellationToken);
        return ToolResults.Success(new WalletDetailsResult(wallet.Id, wallet.Name, wallet.BalanceMsat, Sats.FromMsat(wallet.BalanceMsat), keyType.ToWire()));
    }

    [McpServerTool(Title = "Wallet balance", ReadOnly = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WalletBalanceResult))]
    [Description("Reads the wallet balance in millisatoshis (balance_msat) and whole satoshis (balance_sat, rounded down).")]
    public async Task<CallToolResult> GetWalletBalanceAsync(CancellationToken cancellationToken)
    {
        var connection = access.RequireLnbits();
        var wallet = await clients.Create(connection.Settings).GetWalletAsync(cancellationToken);
        return ToolResults.Success(new WalletBalanceResult(wallet.BalanceMsat, Sats.FromMsat(wallet.BalanceMsat)));
    }

    [McpServerTool(Title = "Payment history", ReadOnly = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(PaymentsResult))]
    [Description("Lists the wallet's payments, newest first: direction (incoming/outgoing), amount and fee in msat (never negative), " +
        "status, memo, time and invoice, and total: how many payments match the filters in all. By default success and pending " +
        "payments; filter by direction, status (also failed, or all), a time range (since/until) and a text search.")]
    public async Task<CallToolResult> GetPaymentsAsync(
        [Description("How many payments to return, 1-100. Default 10.")][Range(1, 100)] int limit = 10,
        [Description("How many of the newest matching payments to skip (for paging). Default 0.")][Range(0, 1_000_000)] int offset = 0,
        [Description("Only incoming (received) or outgoing (sent) payments. Default both.")] string? direction = null,
        [Description("Only payments with this status: success, pending, failed, or all. Default success and pending.")] string? status = null,
        [Description("Only payments at or after this time: ISO-8601, e.g. 2026-03-20 or 2026-03-20T14:30:00Z (UTC when no offset).")] string? since = null,
        [Description("Only payments at or before this time: ISO-8601; a date alone includes that whole day (UTC).")] string? until = null,
        [Description("Case-insensitive text search over memo, amount (msat), status, time and labels (LNbits' search; _ and % are wildcards).")] string? search = null,
        CancellationToken cancellationToken = default)
    {
        var query = PaymentHistoryFilter.Build(limit, offset, direction, status, since, until, search);
        var connection = access.RequireLnbits();
        var page = await clients.Create(connection.Settings).GetPaymentsPageAsync(query, cancellationToken);
        var items = page.Payments.Take(limit).Select(PaymentItem.From).ToList();
        return ToolResults.Success(new PaymentsResult(items, items.Count, page.Total));
    }

    [McpServerTool(Title = "Payment status", ReadOnly = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(PaymentStatusResult))]
    [Description("Looks up one payment of this wallet by its payment hash: whether it is paid, its status (success/pending/failed), " +
        "amount and fee in msat, memo, and the preimage once paid.")]
    public async Task<CallToolResult> GetPaymentStatusAsync(
        [Description("The payment hash: 64 hexadecimal characters.")] string payment_hash,
        CancellationToken cancellationToken = default)
    {
        var hash = PaymentHash.Parse(payment_hash);
        var connection = access.RequireLnbits();
        var status = await clients.Create(connection.Settings).GetPaymentStatusAsync(hash, cancellationToken);
        var details = status.Details;
        return ToolResults.Success(new PaymentStatusResult(hash, status.Paid, status.Status, details?.AmountMsat, details?.FeeMsat,
            details?.Memo, status.Paid ? status.Preimage : null, details?.Time));
    }
}
