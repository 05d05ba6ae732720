using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Security;

/// <summary>
/// Which proxy may tell the server the caller's address, scheme and host (<c>X-Forwarded-For</c>,
/// <c>-Proto</c>, <c>-Host</c>), section <c>ForwardedHeaders</c>. With <see cref="ForwardedHeadersTrustOptions.EdgeSecret"/>
/// (the AppHost shares one between the edge and the servers) only requests that carry it in
/// <see cref="ServerForwardedHeaders.EdgeSecretHeader"/> are believed — not loopback, not any network —
/// so another local process cannot pick its own address. Without it (a standalone server), loopback and
/// <see cref="ForwardedHeadersTrustOptions.TrustedNetworks"/> are believed, like the edge's own setting.
/// </summary>
public sealed class ForwardedHeadersTrustOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>CIDRs of proxies whose forwarded headers are believed (loopback always), when no edge secret is set.</summary>
    public List<string> TrustedNetworks { get; set; } = [];

    /// <summary>The secret the edge sends with every request; when set, nothing else is trusted.</summary>
    public string? EdgeSecret { get; set; }
}

public static class ServerForwardedHeaders
{
    public const string EdgeSecretHeader = "X-LnbitsMcp-Edge-Secret";

    public static IHostApplicationBuilder AddForwardedHeadersTrust(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersTrustOptions>()
            .BindConfiguration(ForwardedHeadersTrustOptions.SectionName)
            .Validate(options => options.EdgeSecret is null or { Length: >= 16 }, "ForwardedHeaders:EdgeSecret must have at least 16 characters.")
            .Validate(options => options.TrustedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "ForwardedHeaders:TrustedNetworks must be CIDRs.")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>Applies trusted forwarded headers first, so limits, Host/Origin checks and URLs see the caller's view.</summary>
    public static WebApplication UseForwardedHeadersTrust(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersTrustOptions>>().Value;
        if (options.EdgeSecret is { Length: > 0 } secret)
        {
            Telemetry.SecretRedactor.Register(secret, TimeSpan.FromDays(60));
            var expected = MemoryMarshal.AsBytes(secret.AsSpan()).ToArray();
            app.UseWhen(context => CarriesSecret(context, expected), branch => branch.UseForwardedHeaders(FromEdge()));
            app.Use((context, next) =>
            {
                context.Request.Headers.Remove(EdgeSecretHeader);
                return next(context);
            });
            return app;
        }

        app.UseForwardedHeaders(FromNetworks(options.TrustedNetworks));
        return app;
    }

    /// <summary>
    /// Compared in constant time for a presented value of the secret's length; a value of another length fails at once,
    /// which tells only the length of a long random secret. No digest per request: OpenSSL's one-shot SHA-256 cost a
    /// server behind the edge about 1 % of its CPU per call.
    /// </summary>
    private static bool CarriesSecret(HttpContext context, byte[] expected)
    {
        var presented = context.Request.Headers[EdgeSecretHeader].ToString();
        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(presented.AsSpan()), expected);
    }

    /// <summary>The edge proved itself: believe its last hop whatever address it connects from.</summary>
    private static ForwardedHeadersOptions FromEdge()
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.All, ForwardLimit = 1 };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        return options; // no known proxies and networks: every sender of the secret is trusted
    }

    private static ForwardedHeadersOptions FromNetworks(IEnumerable<string> networks) =>
        new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.All, ForwardLimit = 1 }.TrustLoopbackAnd(networks);
}
