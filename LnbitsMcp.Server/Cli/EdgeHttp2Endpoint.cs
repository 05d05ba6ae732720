using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LnbitsMcp.Server.Cli;

/// <summary>
/// An optional port of its own that speaks only HTTP/2 without TLS (prior knowledge, "h2c"), for the edge
/// (<c>Server:EdgeHttp2Port</c>; the AppHost sets it when it runs the app). Over HTTP/1.1 the edge holds one
/// connection per request in flight and each request and answer costs both processes a wake-up of their own;
/// over one multiplexed HTTP/2 connection they cost less (bench/PERFORMANCE.md, "What changed the cost"). Kestrel cannot offer HTTP/1.1 and
/// HTTP/2 on one cleartext port, so every other port keeps HTTP/1.1 for browsers, probes and direct clients.
/// </summary>
public static class EdgeHttp2Endpoint
{
    public const string PortKey = "Server:EdgeHttp2Port";

    /// <summary>Adds the port (on the host of the first address listened on) and makes it HTTP/2 only.</summary>
    public static WebApplicationBuilder AddEdgeHttp2Endpoint(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[PortKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return builder;
        }

        if (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{PortKey} must be a port number from 1 to 65535 (was '{configured}').");
        }

        var urls = ListenedUrls(builder);
        if (!urls.Any(url => BindingAddress.Parse(url).Port == port))
        {
            var host = urls.Count > 0 ? BindingAddress.Parse(urls[0]).Host : "+";
            builder.WebHost.UseUrls([.. urls, string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}")]);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (listen.IPEndPoint?.Port == port)
            {
                listen.Protocols = HttpProtocols.Http2;
            }
        }));
        return builder;
    }

    /// <summary>The addresses the host will listen on: <c>urls</c> (ASPNETCORE_URLS, --urls, the command line's), else <c>http_ports</c>.</summary>
    private static List<string> ListenedUrls(WebApplicationBuilder builder)
    {
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = string.Join(';', (builder.WebHost.GetSetting(WebHostDefaults.HttpPortsKey) ?? string.Empty)
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => $"http://+:{p}"));
        }

        return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
