using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Extensions;

internal static class SandboxPipelineExtensions
{
    /// <summary>Errors as LNbits' JSON bodies; empty 404/405 answers get FastAPI's detail; then the
    /// <c>latency_ms</c> and <c>fail_next</c> settings for the LNbits API (<c>/api/…</c>) — not for the
    /// LNURL service routes (which the lnurl route calls itself) nor for <c>/sandbox</c>.</summary>
    public static WebApplication UseSandboxPipeline(this WebApplication app)
    {
        app.UseMiddleware<LnbitsErrorMiddleware>();
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            var detail = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => "Not Found",
                StatusCodes.Status405MethodNotAllowed => "Method Not Allowed",
                _ => null,
            };
            if (detail is not null)
            {
                await response.WriteAsJsonAsync(new JsonObject { ["detail"] = detail }, SandboxJson.Api.JsonObject);
            }
        });
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                var settings = context.RequestServices.GetRequiredService<SettingsStore>();
                var latency = settings.Current.LatencyMs;
                if (latency > 0)
                {
                    await Task.Delay(latency, context.RequestAborted);
                }

                if (settings.TryConsumeFailure())
                {
                    throw new InvalidOperationException("Injected failure (sandbox setting fail_next).");
                }
            }

            await next(context);
        });
        return app;
    }

    public static WebApplication MapSandboxApis(this WebApplication app)
    {
        Api.HealthApi.MapHealthApi(app);
        Api.WalletApi.MapWalletApi(app);
        Api.AuthApi.MapAuthApi(app);
        Api.PaymentsApi.MapPaymentsApi(app);
        Api.FiatApi.MapFiatApi(app);
        Api.LnurlApi.MapLnurlApi(app);
        Api.SandboxApi.MapSandboxApi(app);
        Api.L402Api.MapL402Api(app);
        return app;
    }
}
