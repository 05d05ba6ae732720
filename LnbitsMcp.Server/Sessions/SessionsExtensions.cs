using LnbitsMcp.Server.Lnbits;

namespace LnbitsMcp.Server.Sessions;

public static class SessionsExtensions
{
    /// <summary>Sessions (in process for now), their resolution and the LNbits client.</summary>
    public static IHostApplicationBuilder AddSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SessionsOptions>()
            .BindConfiguration(SessionsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OperatorLnbits>();
        builder.Services.AddSingleton<ISessionStore, InProcessSessionStore>();
        builder.Services.AddScoped<SessionAccess>();
        return builder;
    }

    public static IHostApplicationBuilder AddLnbitsClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LnbitsCredentialCache>();
        builder.Services.AddSingleton<LnbitsClientFactory>();
        // The service defaults' resilience handler (retries, circuit breaker) is removed: a circuit
        // shared by every user's LNbits would let one broken LNbits block all, and the client
        // retries only idempotent GETs itself; a payment POST is sent once.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; it is the documented way to opt out.
        builder.Services.AddHttpClient(LnbitsClientFactory.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return builder;
    }
}
