using LnbitsMcp.Server.Security;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.L402;

public static class L402Extensions
{
    /// <summary>
    /// <c>pay_l402</c>'s parts: <see cref="L402Options"/>, the SSRF-guarded client <c>l402</c>, the credential store
    /// (Redis when sessions are there, else in process) and the flow.
    /// </summary>
    public static IHostApplicationBuilder AddL402(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<L402Options>()
            .BindConfiguration(L402Options.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (builder.UsesRedis())
        {
            builder.Services.AddSingleton<IL402CredentialStore, RedisL402CredentialStore>();
        }
        else
        {
            builder.Services.AddSingleton<IL402CredentialStore, InProcessL402CredentialStore>();
        }

        builder.Services.AddSingleton<L402HttpClient>();
        builder.Services.AddSingleton<L402Payment>();
#pragma warning disable EXTEXP0001 // as for LNURL: no retries (a paid request is sent once), no shared circuit breaker
        builder.Services.AddHttpClient(L402HttpClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllResilienceHandlers()
            .RemoveAllLoggers() // its Trace-level header logs would carry the challenge's token and the credential in their state
            .AddSsrfGuard();
#pragma warning restore EXTEXP0001
        return builder;
    }
}
