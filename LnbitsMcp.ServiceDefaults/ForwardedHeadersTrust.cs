using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace Microsoft.Extensions.Hosting;

/// <summary>Which senders of <c>X-Forwarded-*</c> headers a service believes.</summary>
public static class ForwardedHeadersTrust
{
    /// <summary>Believes loopback and the given CIDRs only (nothing else: the framework's defaults are cleared).</summary>
    public static ForwardedHeadersOptions TrustLoopbackAnd(this ForwardedHeadersOptions options, IEnumerable<string> networks)
    {
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("127.0.0.0/8"));
        options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("::1/128"));
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        return options;
    }
}
