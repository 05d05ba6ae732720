using LnbitsMcp.LnbitsSandbox.Extensions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LnbitsMcp.LnbitsSandbox;

/// <summary>Builds an LNbits-compatible sandbox server. Tests host it in-process:
/// <c>var app = SandboxHost.Build(["--urls", "http://127.0.0.1:0"]); await app.StartAsync();</c></summary>
public static class SandboxHost
{
    public static WebApplication Build(string[] args, Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions();
        configure?.Invoke(options);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SandboxHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Configuration from the environment and the command line only: a hosting test's appsettings.json
        // (AllowedHosts, Kestrel endpoints, …) in the shared output folder must not reach the sandbox.
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddSandbox(options);

        var app = builder.Build();
        app.UseSandboxPipeline();
        app.MapSandboxApis();
        if (options.SeedDemoData)
        {
            app.SeedDemoDataOnStart(options);
        }

        return app;
    }

    /// <summary>The first address a started sandbox listens on (e.g. <c>http://127.0.0.1:41234</c>).</summary>
    public static Uri GetBaseAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return new Uri(addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The sandbox has not been started."));
    }
}
