using LnbitsMcp.LnbitsSandbox.Api;
using LnbitsMcp.LnbitsSandbox.Auth;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Lnurl;
using LnbitsMcp.LnbitsSandbox.Payments;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Extensions;

internal static class SandboxServiceExtensions
{
    public static IServiceCollection AddSandbox(this IServiceCollection services, SandboxOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new StartTime(TimeProvider.System.GetUtcNow()));
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<SandboxLedger>();
        services.AddSingleton<WalletDirectory>();
        services.AddSingleton<WalletKeyAuth>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<UserAuth>();
        services.AddSingleton<LocalNode>();
        services.AddSingleton<OutsideNode>();
        services.AddSingleton<FundingSource>();
        services.AddSingleton<PendingSettler>();
        services.AddSingleton<ExchangeRates>();
        services.AddSingleton<InvoiceService>();
        services.AddSingleton<PayService>();
        services.AddSingleton<LnurlServer>();
        services.AddSingleton<L402.L402Paywall>();
        services.AddSingleton<LnurlHttp>();
        services.AddSingleton<LnurlPayer>();
        services.AddSingleton<LegacyLnurlPayer>();
        services.AddHttpClient(LnurlHttp.ClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("lnbits/lnurl"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false });
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SandboxJson.Api));
        return services;
    }
}
