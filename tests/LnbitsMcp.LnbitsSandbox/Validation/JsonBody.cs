using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Errors;

namespace LnbitsMcp.LnbitsSandbox.Validation;

/// <summary>Reads a request body the way FastAPI does: JSON when the content type is JSON (or absent),
/// a JSON decode error is a 400 list at once, an empty body is "missing", other content is not a dict.</summary>
internal static class JsonBody
{
    public static async Task<BodyValue> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            return BodyValue.Missing;
        }

        var contentType = request.ContentType;
        if (!string.IsNullOrEmpty(contentType) && !IsJson(contentType))
        {
            return BodyValue.NotJson;
        }

        try
        {
            var node = JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            return new BodyValue(true, node);
        }
        catch (JsonException exception)
        {
            var position = (int)(exception.BytePositionInLine ?? 0);
            throw RequestValidationException.Single(new ValidationIssue(
                ["body", position],
                "JSON decode error",
                "json_invalid",
                new JsonObject { ["error"] = "Expecting value" }));
        }
    }

    private static bool IsJson(string contentType)
    {
        try
        {
            var mediaType = new ContentType(contentType).MediaType;
            return mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase)
                    || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>A read body: <see cref="Present"/> false when empty; <see cref="Node"/> null for JSON null or non-JSON.</summary>
internal sealed record BodyValue(bool Present, JsonNode? Node, bool IsNonJson = false)
{
    public static BodyValue Missing { get; } = new(false, null);

    public static BodyValue NotJson { get; } = new(true, null, true);
}
