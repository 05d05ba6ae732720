using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary><c>GET /api/v1/health</c>.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/health", GetHealth);
        return app;
    }

    private static IResult GetHealth(TimeProvider clock, StartTime started)
    {
        var now = clock.GetUtcNow();
        return ApiResults.Json(new JsonObject
        {
            ["server_time"] = now.ToUnixTimeSeconds(),
            ["up_time"] = (long)(now - started.Value).TotalSeconds,
        });
    }
}

/// <summary>When this sandbox instance started.</summary>
internal sealed record StartTime(DateTimeOffset Value);
