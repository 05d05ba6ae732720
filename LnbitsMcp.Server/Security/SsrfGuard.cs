using System.Net;
using System.Net.Sockets;

namespace LnbitsMcp.Server.Security;

/// <summary>
/// Builds the SSRF-guarded HTTP pipeline for requests a user can aim (LNURL, Lightning Address):
/// <see cref="SsrfGuardHandler"/> (URL policy on every hop, redirects followed by hand, response size cap)
/// over a <see cref="SocketsHttpHandler"/> whose <c>ConnectCallback</c> resolves the host once, checks every
/// address with <see cref="NetworkAddressRules"/> and connects only to an address it checked. Proxies,
/// cookies, automatic redirects and HTTP/3 are off.
/// </summary>
public static class SsrfGuard
{
    /// <summary>The primary handler: guarded connect, no proxy, no automatic redirects.</summary>
    public static SocketsHttpHandler CreatePrimaryHandler(SsrfGuardOptions options) =>
        CreatePrimaryHandler(options, Dns.GetHostAddressesAsync);

    /// <summary>As <see cref="CreatePrimaryHandler(SsrfGuardOptions)"/> with another name resolver (tests).</summary>
    internal static SocketsHttpHandler CreatePrimaryHandler(
        SsrfGuardOptions options,
        Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resolve);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, options, resolve, cancellationToken),
        };
    }

    /// <summary>The whole pipeline for use without DI: <c>new HttpClient(SsrfGuard.CreateHandler(options))</c>.</summary>
    public static HttpMessageHandler CreateHandler(SsrfGuardOptions options) =>
        new SsrfGuardHandler(options) { InnerHandler = CreatePrimaryHandler(options) };

    /// <summary>
    /// Resolves <paramref name="context"/>'s host once (the addresses checked are the addresses used), refuses the connection when any address is not
    /// allowed — or, for plain http without <see cref="SsrfGuardOptions.AllowHttpForPublicHosts"/>, when any
    /// address is public — and connects to the checked addresses in order.
    /// </summary>
    internal static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context,
        SsrfGuardOptions options,
        Func<string, CancellationToken, Task<IPAddress[]>> resolve,
        CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolve(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var httpOnlyToPrivate = context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttp
            && !options.AllowHttpForPublicHosts;
        for (var i = 0; i < addresses.Length; i++)
        {
            if (addresses[i].IsIPv4MappedToIPv6)
            {
                addresses[i] = addresses[i].MapToIPv4();
            }

            var category = NetworkAddressRules.Classify(addresses[i]);
            if (!NetworkAddressRules.IsAllowed(category, options.AllowPrivateNetworks))
            {
                throw new ForbiddenDestinationException(host, addresses[i].ToString(), NetworkAddressRules.Describe(category));
            }

            if (httpOnlyToPrivate && !NetworkAddressRules.IsPrivateNetwork(category))
            {
                throw new ForbiddenDestinationException(host, addresses[i].ToString(), "https is required for public hosts");
            }
        }

        SocketException? lastError = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastError!;
    }
}
