using System.Net;

namespace LnbitsMcp.Server.Security;

/// <summary>The outcome of <see cref="OutboundUrlPolicy.Check"/>.</summary>
/// <param name="IsAllowed">False when the URL must not be requested.</param>
/// <param name="Reason">Why not (null when allowed).</param>
/// <param name="RequiresPrivateAddresses">
/// True for plain http to a host name that is allowed only if every address it resolves to is private
/// (checked when connecting).
/// </param>
public sealed record OutboundUrlDecision(bool IsAllowed, string? Reason, bool RequiresPrivateAddresses)
{
    public static readonly OutboundUrlDecision Allowed = new(true, null, false);

    public static OutboundUrlDecision Refused(string reason) => new(false, reason, false);
}

/// <summary>
/// The URL-level rules of the SSRF guard (no DNS): http or https only, no user info, https for public
/// hosts unless <see cref="SsrfGuardOptions.AllowHttpForPublicHosts"/>; IP literals judged by
/// <see cref="NetworkAddressRules"/>; <c>localhost</c> and <c>*.localhost</c> treated as loopback.
/// Host names are resolved and their addresses checked when connecting (see <see cref="SsrfGuard"/>).
/// </summary>
public sealed class OutboundUrlPolicy(SsrfGuardOptions options)
{
    public SsrfGuardOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Decides whether <paramref name="uri"/> may be requested.</summary>
    public OutboundUrlDecision Check(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return OutboundUrlDecision.Refused("not an absolute URL");
        }

        var isHttps = uri.Scheme == Uri.UriSchemeHttps;
        if (!isHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return OutboundUrlDecision.Refused($"the {uri.Scheme} scheme is not allowed");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return OutboundUrlDecision.Refused("URLs with user info are not allowed");
        }

        var host = uri.IdnHost.Trim('[', ']');
        if (host.Length == 0)
        {
            return OutboundUrlDecision.Refused("the URL has no host");
        }

        AddressCategory? category = null;
        if (IPAddress.TryParse(host, out var literal))
        {
            category = NetworkAddressRules.Classify(literal);
        }
        else if (IsLocalhostName(host))
        {
            category = AddressCategory.Loopback;
        }

        if (category is { } known)
        {
            if (!NetworkAddressRules.IsAllowed(known, Options.AllowPrivateNetworks))
            {
                return OutboundUrlDecision.Refused(NetworkAddressRules.Describe(known));
            }

            return isHttps || Options.AllowHttpForPublicHosts || NetworkAddressRules.IsPrivateNetwork(known)
                ? OutboundUrlDecision.Allowed
                : OutboundUrlDecision.Refused("https is required for public hosts");
        }

        if (isHttps || Options.AllowHttpForPublicHosts)
        {
            return OutboundUrlDecision.Allowed;
        }

        return Options.AllowPrivateNetworks
            ? new OutboundUrlDecision(true, null, RequiresPrivateAddresses: true)
            : OutboundUrlDecision.Refused("https is required for public hosts");
    }

    /// <summary>Throws <see cref="ForbiddenDestinationException"/> when <see cref="Check"/> refuses.</summary>
    public void EnsureAllowed(Uri? uri)
    {
        var decision = Check(uri);
        if (!decision.IsAllowed)
        {
            var host = uri is { IsAbsoluteUri: true } ? uri.IdnHost : "(none)";
            throw new ForbiddenDestinationException(host, null, decision.Reason!);
        }
    }

    internal static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
