using LnbitsMcp.Server.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LnbitsMcp.Server.Payments;

public static class PaymentsExtensions
{
    /// <summary>
    /// The payment policy's parts (checks, dry run, confirmation and approvals, the send-with-ledger step) and
    /// one service per payment flow. The stores they use (ledger, tokens, approvals) come with the sessions.
    /// </summary>
    public static IHostApplicationBuilder AddPaymentFlows(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDataProtection(); // request states are sealed with it (its key ring is in Redis when sessions are)
        builder.Services.TryAddSingleton<PublicUrls>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<PaymentAudit>();
        builder.Services.AddSingleton<WalletLedgerKeys>();
        builder.Services.AddSingleton<PaymentChecks>();
        builder.Services.AddSingleton<PaymentDryRun>();
        builder.Services.AddSingleton<PaymentApprovals>();
        builder.Services.AddSingleton<ApprovalRequestStates>();
        builder.Services.AddSingleton<PaymentConfirmation>();
        builder.Services.AddSingleton<PaymentSender>();
        builder.Services.AddSingleton<InvoicePayment>();
        builder.Services.AddSingleton<LightningAddressPayment>();
        return builder;
    }
}
