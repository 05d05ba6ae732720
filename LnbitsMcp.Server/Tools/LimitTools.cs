using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tools;

[McpServerToolType]
public sealed class LimitTools(SessionAccess access, ISessionStore store, IOptions<PaymentOptions> options)
{
    [McpServerTool(Title = "Set payment limits", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(PaymentLimitsResult))]
    [Description("Tightens this session's payment limits below the operator's (they can never be loosened past them): " +
        "largest single payment, sats per rolling 24 hours, payments per hour, and the amount above which the user must confirm. " +
        "Payee rules restrict where money may go, on top of the operator's: allow_payees (when it lists payees of a kind, only those " +
        "may be paid) and deny_payees (never paid). Entries: a node public key (66 hex), a Lightning Address or domain (*.domain for subdomains), " +
        "or an L402 origin (https://host). Omitted values keep their current setting; an empty list clears it. Returns the limits now in force.")]
    public async Task<CallToolResult> SetPaymentLimitsAsync(
        [Description("Largest single payment, in sats.")][Range(1, 2_100_000_000_000_000)] long? max_payment_sats = null,
        [Description("Sats this session may spend in any 24 hours.")][Range(1, 2_100_000_000_000_000)] long? daily_budget_sats = null,
        [Description("Payments this session may make in any hour.")][Range(1, 100_000)] int? max_payments_per_hour = null,
        [Description("Payments above this many sats need the user's confirmation (0 = confirm every payment).")][Range(0, 2_100_000_000_000_000)] long? confirm_above_sats = null,
        [Description("Only these payees may be paid (per kind: nodes, Lightning Addresses/domains, L402 origins); [] clears.")] string[]? allow_payees = null,
        [Description("These payees are never paid (nodes, Lightning Addresses/domains, L402 origins); [] clears.")] string[]? deny_payees = null,
        CancellationToken cancellationToken = default)
    {
        if ((PayeeRules.Validate(allow_payees, "allow_payees") ?? PayeeRules.Validate(deny_payees, "deny_payees")) is { } problem)
        {
            throw ToolException.InvalidArgument(problem);
        }

        var session = await access.RequireSessionAsync(cancellationToken);
        var operatorLimits = options.Value;
        Check("max_payment_sats", max_payment_sats, operatorLimits.MaxPaymentSats);
        Check("daily_budget_sats", daily_budget_sats, operatorLimits.DailyBudgetSats);
        Check("max_payments_per_hour", max_payments_per_hour, operatorLimits.MaxPaymentsPerHour);
        Check("confirm_above_sats", confirm_above_sats, operatorLimits.ConfirmAboveSats);

        var limits = new SessionLimits(
            max_payment_sats ?? session.Limits.MaxPaymentSats,
            daily_budget_sats ?? session.Limits.DailyBudgetSats,
            max_payments_per_hour ?? session.Limits.MaxPaymentsPerHour,
            confirm_above_sats ?? session.Limits.ConfirmAboveSats,
            Payees(allow_payees, deny_payees, session.Limits.Payees));
        var updated = session with { Limits = limits };
        if (!await store.SaveAsync(updated, cancellationToken))
        {
            throw new ToolException(ToolErrorCodes.SessionNotFound, "The session expired. Create a new one.");
        }

        access.Call.Session = updated;
        var effective = PaymentLimits.For(operatorLimits, limits);
        return ToolResults.Success(new PaymentLimitsResult(effective.MaxPaymentSats, effective.DailyBudgetSats, effective.MaxPaymentsPerHour, effective.ConfirmAboveSats)
        {
            AllowPayees = limits.Payees?.Allow,
            DenyPayees = limits.Payees?.Deny,
        });
    }

    /// <summary>The session's payee rules after this call: a list given replaces the old one ([] clears it).</summary>
    private static PayeeRules? Payees(string[]? allow, string[]? deny, PayeeRules? current)
    {
        var rules = new PayeeRules(
            allow is null ? current?.Allow : [.. allow.Select(entry => entry.Trim())],
            deny is null ? current?.Deny : [.. deny.Select(entry => entry.Trim())]);
        return rules.IsEmpty ? null : rules;
    }

    private static void Check(string name, long? requested, long operatorLimit)
    {
        if (requested > operatorLimit)
        {
            throw new ToolException(ToolErrorCodes.LimitExceeded, string.Create(CultureInfo.InvariantCulture,
                $"{name} can only be tightened: the operator's limit is {operatorLimit} (asked for {requested}). Nothing was changed."));
        }
    }
}
