using System.Globalization;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Tools;
using Microsoft.Extensions.Primitives;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// The wallet-connect form (CONTRACT §8 field names): the LNbits wallet in any of the four auth methods, this
/// connection's limits and the read-only box. Secrets are read once and never written back into a page.
/// </summary>
public sealed record ConnectForm
{
    public string? LnbitsUrl { get; init; }
    public string AuthMethod { get; init; } = "api_key_header";
    public string? ApiKey { get; init; }
    public string? BearerToken { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? WalletId { get; init; }
    public string? MaxPaymentSats { get; init; }
    public string? DailyBudgetSats { get; init; }
    public string? ConfirmAboveSats { get; init; }

    /// <summary>Payee rules, one entry per line (or comma-separated): nodes, Lightning Addresses/domains, origins.</summary>
    public string? AllowPayees { get; init; }
    public string? DenyPayees { get; init; }
    public bool ReadOnly { get; init; }
    public string? Action { get; init; }

    public static ConnectForm Read(IFormCollection form) => new()
    {
        LnbitsUrl = Value(form, "lnbits_url"),
        AuthMethod = Value(form, "auth_method") ?? "api_key_header",
        ApiKey = Value(form, "api_key"),
        BearerToken = Value(form, "bearer_token"),
        Username = Value(form, "username"),
        Password = Value(form, "password"),
        WalletId = Value(form, "wallet_id"),
        MaxPaymentSats = Value(form, "max_payment_sats"),
        DailyBudgetSats = Value(form, "daily_budget_sats"),
        ConfirmAboveSats = Value(form, "confirm_above_sats"),
        AllowPayees = Value(form, "allow_payees"),
        DenyPayees = Value(form, "deny_payees"),
        ReadOnly = form["read_only"] is { Count: > 0 } box && box.ToString() is "on" or "true" or "1",
        Action = Value(form, "action"),
    };

    /// <summary>The LNbits settings exactly as <c>configure_lnbits</c> builds them from its arguments.</summary>
    public LnbitsSettings Settings(OperatorLnbits operatorLnbits) =>
        LnbitsSettingsInput.Build(LnbitsUrl, ApiKey, AuthMethod, BearerToken, Username, Password, WalletId, null, operatorLnbits);

    /// <summary>This connection's limits (blank = the operator's); they can only tighten the operator's limits.</summary>
    public SessionLimits Limits() => new(
        MaxPaymentSats: Sats(MaxPaymentSats, "max_payment_sats"),
        DailyBudgetSats: Sats(DailyBudgetSats, "daily_budget_sats"),
        ConfirmAboveSats: Sats(ConfirmAboveSats, "confirm_above_sats"),
        Payees: Payees());

    /// <summary>The payee rules typed into the form, checked as <c>set_payment_limits</c> checks them; null when both are empty.</summary>
    private Payments.PayeeRules? Payees()
    {
        var allow = Entries(AllowPayees);
        var deny = Entries(DenyPayees);
        if ((Payments.PayeeRules.Validate(allow, "allow_payees") ?? Payments.PayeeRules.Validate(deny, "deny_payees")) is { } problem)
        {
            throw ToolException.InvalidArgument(problem);
        }

        var rules = new Payments.PayeeRules(allow.Count > 0 ? allow : null, deny.Count > 0 ? deny : null);
        return rules.IsEmpty ? null : rules;
    }

    private static List<string> Entries(string? text) =>
        [.. (text ?? string.Empty).Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static long? Sats(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 2_100_000_000_000_000
            ? value
            : throw ToolException.InvalidArgument($"{name} must be a whole number of sats (or empty for the operator's limit).");
    }

    private static string? Value(IFormCollection form, string name) =>
        form.TryGetValue(name, out StringValues values) && values.ToString() is { Length: > 0 } text ? text : null;
}
