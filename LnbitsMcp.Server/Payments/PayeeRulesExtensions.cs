using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Payments;

public static class PayeeRulesExtensions
{
    /// <summary>The operator's payee rules (<see cref="PayeeRuleOptions"/>, validated at start) and the policy that applies them with each session's.</summary>
    public static IHostApplicationBuilder AddPayeeRules(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PayeeRuleOptions>()
            .BindConfiguration(PayeeRuleOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PayeeRuleOptions>, PayeeRuleOptionsValidation>());
        builder.Services.AddSingleton<PayeePolicy>();
        return builder;
    }
}
