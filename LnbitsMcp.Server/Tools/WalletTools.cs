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
        "status (success/pending; LNbits leaves failed payments out of this list), memo, time and invoice.")]
    public async Task<CallToolResult> GetPaymentsAsync(
        [Description("How many payments to return, 1-100. Default 10.")][Range(1, 100)] int limit = 10,
        [Description("How many of the newest payments to skip (for paging). Default 0.")][Range(0, 1_000_000)] int offset = 0,
        CancellationToken cancellationToken = default)
    {
        var connection = access.RequireLnbits();
        var payments = await clients.Create(connection.Settings).GetPaymentsAsync(limit, offset, cancellationToken);
        var items = payments.Take(limit).Select(PaymentItem.From).ToList();
        return ToolResults.Success(new PaymentsResult(items, items.Count));
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
