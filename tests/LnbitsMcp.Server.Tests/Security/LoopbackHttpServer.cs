using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.Server.Tests.Security;

/// <summary>A Kestrel server on 127.0.0.1 (a free port) that counts TCP connections and requests.</summary>
public sealed class LoopbackHttpServer : IAsyncLifetime
{
    public const int BigBodyBytes = 2 * 1024 * 1024;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private WebApplication? _app;
    private int _connections;
    private int _requests;

    public int Port { get; private set; }

    /// <summary>TCP connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>HTTP requests served so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The X-Api-Key values that reached <c>/lnbits-elsewhere/…</c>.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ApiKeysSeen { get; } = new();

    public Uri Url(string path, string host = "127.0.0.1") => new($"http://{host}:{Port}{path}");

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref _connections);
                return next(connection);
            })));

        var app = builder.Build();
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref _requests);
            return next(context);
        });
        app.MapGet("/ok", () => "hello");
        app.MapGet("/redirect-local", () => Results.Redirect("/ok"));
        app.MapGet("/redirect-loop", () => Results.Redirect("/redirect-loop"));
        app.MapGet("/redirect-metadata", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
        app.MapGet("/redirect-public-http", () => Results.Redirect("http://93.184.216.34/"));
        app.MapGet("/headers", (HttpRequest request) => request.Headers.Authorization.ToString());
        app.MapGet("/redirect-headers-same-origin", () => Results.Redirect("/headers"));
        app.MapGet("/redirect-headers-other-origin", (HttpRequest request) =>
            Results.Redirect($"http://localhost:{request.Host.Port}/headers"));
        app.MapGet("/lnbits-moved/{**rest}", (HttpRequest request, string rest) =>
            Results.Redirect($"http://localhost:{request.Host.Port}/lnbits-elsewhere/{rest}", permanent: false, preserveMethod: true));
        app.MapGet("/lnbits-same/{**rest}", (string rest) => Results.Redirect($"/lnbits-elsewhere/{rest}", permanent: false, preserveMethod: true));
        app.MapGet("/lnbits-elsewhere/{**rest}", (HttpRequest request) =>
        {
            ApiKeysSeen.Enqueue(request.Headers["X-Api-Key"].ToString());
            return Results.Json(new { id = "wallet-elsewhere", name = "Elsewhere", balance = 1000 });
        });
        app.MapGet("/big", () => Results.Bytes(new byte[BigBodyBytes], "application/octet-stream"));
        app.MapGet("/stream", async (HttpResponse response, CancellationToken cancellationToken) =>
        {
            var chunk = new byte[8 * 1024];
            for (var sent = 0; sent < BigBodyBytes; sent += chunk.Length)
            {
                await response.Body.WriteAsync(chunk, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
            }
        });
        await app.StartAsync().WaitAsync(Timeout);
        _app = app;

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(Timeout);
            await _app.DisposeAsync().AsTask().WaitAsync(Timeout);
        }
    }
}
