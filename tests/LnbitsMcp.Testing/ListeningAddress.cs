using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LnbitsMcp.Testing;

/// <summary>Where an in-process app that was started on a free port listens.</summary>
public static class ListeningAddress
{
    /// <summary>The app's first listening address (e.g. <c>http://127.0.0.1:41234</c>).</summary>
    public static Uri Of(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
