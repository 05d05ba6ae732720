using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Security;

public static class SsrfGuardExtensions
{
    /// <summary>
    /// Puts a named or typed <see cref="HttpClient"/> behind the SSRF guard: binds and validates
    /// <see cref="SsrfGuardOptions"/> (section <c>Security</c>), makes the primary handler the guarded
    /// <see cref="SocketsHttpHandler"/> of <see cref="SsrfGuard.CreatePrimaryHandler"/> and adds
    /// <see cref="SsrfGuardHandler"/> as a delegating handler. Call it after any other handler registration so
    /// it is the innermost and also sees requests that outer handlers (resilience, service discovery) rewrote.
    /// Example:
    /// <c>services.AddHttpClient("lnurl").AddSsrfGuard();</c>
    /// </summary>
    /// <param name="refuseCrossOriginRedirects">For clients that send credentials: a redirect to another origin is refused
    /// (<see cref="CrossOriginRedirectException"/>) instead of followed without them.</param>
    public static IHttpClientBuilder AddSsrfGuard(this IHttpClientBuilder builder, bool refuseCrossOriginRedirects = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SsrfGuardOptions>()
            .BindConfiguration(SsrfGuardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.ConfigurePrimaryHttpMessageHandler(services =>
            SsrfGuard.CreatePrimaryHandler(services.GetRequiredService<IOptions<SsrfGuardOptions>>().Value));
        builder.AddHttpMessageHandler(services =>
            new SsrfGuardHandler(services.GetRequiredService<IOptions<SsrfGuardOptions>>().Value, refuseCrossOriginRedirects));
        return builder;
    }
}
