using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Errors;

/// <summary>One pydantic-v1 error entry: <c>{"loc": [...], "msg", "type", "ctx"?}</c>.</summary>
internal sealed record ValidationIssue(IReadOnlyList<object> Loc, string Msg, string Type, JsonObject? Ctx = null)
{
    public JsonObject ToJson()
    {
        var loc = new JsonArray();
        foreach (var part in Loc)
        {
            loc.Add(part switch
            {
                int index => JsonValue.Create(index),
                long index => JsonValue.Create(index),
                _ => JsonValue.Create(part.ToString()),
            });
        }

        var json = new JsonObject { ["loc"] = loc, ["msg"] = Msg, ["type"] = Type };
        if (Ctx is not null)
        {
            json["ctx"] = Ctx.DeepClone();
        }

        return json;
    }
}

/// <summary>FastAPI's RequestValidationError as LNbits answers it: 400 with <c>detail</c> as a list.</summary>
internal sealed class RequestValidationException(IReadOnlyList<ValidationIssue> issues)
    : Exception("Request validation failed.")
{
    public IReadOnlyList<ValidationIssue> Issues { get; } = issues;

    public static RequestValidationException Single(ValidationIssue issue) => new([issue]);
}
