using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.AspNetCore;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

public static class SessionsExtensions
{
    public const string RedisConnectionName = "redis";

    /// <summary>True when sessions are shared through Redis (<c>ConnectionStrings:redis</c> is set).</summary>
    public static bool UsesRedis(this IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnectionName));

    /// <summary>
    /// Sessions, payment bookkeeping, confirmation tokens and payment approvals: in Redis when a connection string is
    /// configured (every instance shares them), otherwise in this process (one instance only).
    /// </summary>
    public static IHostApplicationBuilder AddSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SessionsOptions>()
            .BindConfiguration(SessionsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<PaymentOptions>()
            .BindConfiguration(PaymentOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System); // tests may bring their own clock
        builder.Services.AddSingleton<OperatorLnbits>();
        builder.Services.AddScoped<SessionAccess>();

        if (builder.UsesRedis())
        {
            builder.AddRedisSessions();
        }
        else
        {
            builder.Services.AddSingleton<ISessionStore, InProcessSessionStore>();
            builder.Services.AddSingleton<IPaymentLedger, InProcessPaymentLedger>();
            builder.Services.AddSingleton<IConfirmationTokens, InProcessConfirmationTokens>();
            builder.Services.AddSingleton<IPaymentApprovalStore, InProcessPaymentApprovalStore>();
        }

        return builder;
    }

    private static void AddRedisSessions(this IHostApplicationBuilder builder)
    {
        builder.AddTracedRedisClient(RedisConnectionName, options =>
        {
            // Keep serving (with clear errors) while Redis is down, and reconnect by itself.
            options.AbortOnConnectFail = false;
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ConnectTimeout = 5000;
            options.AsyncTimeout = 5000;
            options.SyncTimeout = 5000;
        });
        builder.Services.AddRedisDataProtection();
        builder.Services.AddSingleton<SessionDocumentSerializer>();
        builder.Services.AddSingleton<ISessionStore, RedisSessionStore>();
        builder.Services.AddSingleton<IPaymentLedger, RedisPaymentLedger>();
        builder.Services.AddSingleton<IConfirmationTokens, RedisConfirmationTokens>();
        builder.Services.AddSingleton<IPaymentApprovalStore, RedisPaymentApprovalStore>();
        builder.Services.AddSingleton<ISessionMigrationHandler, RedisSessionMigrationHandler>();
    }

    /// <summary>
    /// Data Protection with its key ring in Redis, shared by every instance, which agree on one key when they start
    /// (<see cref="DataProtectionKeyAgreement"/>, started before every other hosted service).
    /// </summary>
    public static IServiceCollection AddRedisDataProtection(this IServiceCollection services)
    {
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DataProtectionKeyAgreement>());
        services.AddDataProtection().SetApplicationName("lnbits-mcp");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, provider) => options.XmlRepository =
                new RedisXmlRepository(() => provider.GetRequiredService<IConnectionMultiplexer>().GetDatabase(), RedisKeys.DataProtectionKeys));
        return services;
    }

    public static IHostApplicationBuilder AddLnbitsClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LnbitsCredentialCache>();
        builder.Services.AddSingleton<LnbitsClientFactory>();
        builder.Services.AddSingleton<LnbitsConnector>();
        builder.Services.AddSingleton<LnbitsCurrencies>();
        builder.Services.AddSingleton<LnurlClient>();
        builder.AddPaymentFlows();

        // The service defaults' resilience handler (retries, circuit breaker) is removed: a circuit
        // shared by every user's LNbits would let one broken LNbits block all, and the client
        // retries only idempotent GETs itself; a payment POST is sent once.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; it is the documented way to opt out.
        builder.Services.AddHttpClient(LnbitsClientFactory.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
            .AddSsrfGuard(refuseCrossOriginRedirects: true); // the API key must never follow a redirect to another host
        builder.Services.AddHttpClient(LnurlClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllResilienceHandlers()
            .AddSsrfGuard();
#pragma warning restore EXTEXP0001
        return builder;
    }
}
