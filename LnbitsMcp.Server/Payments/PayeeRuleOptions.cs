using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Payments;

/// <summary>The operator's payee rules (<c>Payments:Payees:Allow</c> / <c>Payments:Payees:Deny</c>), for every wallet; a connection can only add to them.</summary>
public sealed class PayeeRuleOptions
{
    public const string SectionName = "Payments:Payees";

    public List<string> Allow { get; set; } = [];

    public List<string> Deny { get; set; } = [];

    public PayeeRules Rules => new(Allow, Deny);
}

/// <summary>Every entry must name a payee, checked at start.</summary>
public sealed class PayeeRuleOptionsValidation : IValidateOptions<PayeeRuleOptions>
{
    public ValidateOptionsResult Validate(string? name, PayeeRuleOptions options) =>
        (PayeeRules.Validate(options.Allow, "Payments:Payees:Allow") ?? PayeeRules.Validate(options.Deny, "Payments:Payees:Deny")) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
