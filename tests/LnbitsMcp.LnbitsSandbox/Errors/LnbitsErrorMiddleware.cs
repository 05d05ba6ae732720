using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Errors;

/// <summary>Turns exceptions into LNbits' JSON error bodies (lnbits/exceptions.py).</summary>
internal sealed partial class LnbitsErrorMiddleware(RequestDelegate next, ILogger<LnbitsErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await WriteAsync(context, exception);
        }
    }

    private async Task WriteAsync(HttpContext context, Exception exception)
    {
        context.Response.Clear();
        JsonObject body;
        switch (exception)
        {
            case ApiException api:
                context.Response.StatusCode = api.StatusCode;
                foreach (var (name, value) in api.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                body = new JsonObject { ["detail"] = api.Message };
                break;
            case PaymentException payment:
                context.Response.StatusCode = PaymentException.StatusCode;
                body = new JsonObject { ["detail"] = payment.Message, ["status"] = payment.Status };
                break;
            case RequestValidationException validation:
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                body = new JsonObject { ["detail"] = new JsonArray([.. validation.Issues.Select(i => (JsonNode)i.ToJson())]) };
                break;
            default:
                var id = ErrorIds.New();
                LogUnhandled(logger, exception, id);
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                body = new JsonObject { ["detail"] = $"Unexpected error! ID: {id}" };
                break;
        }

        await context.Response.WriteAsJsonAsync(body, Json.SandboxJson.Api.JsonObject);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception, error id {ErrorId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string errorId);
}
