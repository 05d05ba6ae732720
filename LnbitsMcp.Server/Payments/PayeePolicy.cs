using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Applies the operator's payee rules and the session's (connection's) own before anything is paid: a deny entry of
/// either refuses; an allow-list of the payee's kind, of either, must name it. A refusal is <c>payee_not_allowed</c>
/// naming the rule (whose, allow or deny, the entry) and is audited.
/// </summary>
public sealed class PayeePolicy(PaymentAudit audit, IOptions<PayeeRuleOptions> options)
{
    public void Check(PaymentCall call, PayeeKind kind, string payee, long amountMsat)
    {
        var session = call.Connection.Session?.Limits.Payees ?? PayeeRules.None;
        foreach (var (rules, whose) in new[] { (options.Value.Rules, "operator"), (session, "connection") })
        {
            if (rules.DenyingEntry(kind, payee) is { } entry)
            {
                Refuse(call, amountMsat, $"{payee} is on the {whose}'s deny-list (entry '{entry}').", whose, "deny", entry);
            }

            if (rules.AllowListExcludes(kind, payee))
            {
                Refuse(call, amountMsat, $"{payee} is not on the {whose}'s allow-list of {Describe(kind)}.", whose, "allow", null);
            }
        }
    }

    private void Refuse(PaymentCall call, long amountMsat, string message, string whose, string rule, string? entry)
    {
        audit.Refused(call, ToolErrorCodes.PayeeNotAllowed, amountMsat);
        throw new ToolException(ToolErrorCodes.PayeeNotAllowed, message + " Nothing was paid.",
            new Dictionary<string, object?> { ["rule"] = rule, ["rule_of"] = whose, ["entry"] = entry });
    }

    private static string Describe(PayeeKind kind) => kind switch
    {
        PayeeKind.Node => "nodes",
        PayeeKind.Address => "Lightning Addresses and domains",
        _ => "origins",
    };
}
