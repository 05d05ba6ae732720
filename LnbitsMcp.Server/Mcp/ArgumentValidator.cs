using System.Globalization;
using System.Text.Json;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Checks a call's arguments against the tool's input schema before the SDK binds them, so that a
/// wrong type, a missing argument or an out-of-range number is an <c>invalid_argument</c> naming the
/// argument, never a binding exception. Our schemas are flat objects of primitives.
/// </summary>
public static class ArgumentValidator
{
    public const int MaxStringLength = 16_384;

    /// <summary>The first problem found, or null when the arguments fit the schema.</summary>
    public static string? Validate(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        arguments ??= new Dictionary<string, JsonElement>();
        if (!inputSchema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (inputSchema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!arguments.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    return $"missing required argument '{name}'";
                }
            }
        }

        foreach (var (name, value) in arguments)
        {
            if (!properties.TryGetProperty(name, out var schema))
            {
                continue; // unknown arguments are ignored, as the SDK does
            }

            if (CheckValue(name, schema, value) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? CheckValue(string name, JsonElement schema, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return AllowsNull(schema) ? null : $"'{name}' must not be null";
        }

        var type = MainType(schema);
        switch (type)
        {
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    return $"'{name}' must be a string";
                }

                var text = value.GetString()!;
                if (text.Length > MaxStringLength)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"'{name}' is too long ({text.Length} characters; at most {MaxStringLength})");
                }

                if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
                    && !allowed.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == text))
                {
                    return $"'{name}' must be one of {string.Join(", ", allowed.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()))}";
                }

                return null;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var integer))
                {
                    return value.ValueKind == JsonValueKind.Number
                        ? $"'{name}' must be a whole number within range"
                        : $"'{name}' must be an integer";
                }

                return CheckRange(name, schema, integer);
            case "number":
                return value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()) ? null : $"'{name}' must be a number";
            case "boolean":
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"'{name}' must be true or false";
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return $"'{name}' must be a list";
                }

                return schema.TryGetProperty("items", out var items) && MainType(items) == "string" && value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String)
                    ? $"'{name}' must be a list of strings"
                    : null;
            case "object":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return $"'{name}' must be an object";
                }

                return schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object && MainType(values) == "string"
                    && value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String)
                    ? $"'{name}' must map names to strings"
                    : null;
            default:
                return null;
        }
    }

    private static string? CheckRange(string name, JsonElement schema, long value)
    {
        if (schema.TryGetProperty("minimum", out var minimum) && minimum.TryGetDouble(out var min) && value < min)
        {
            return string.Create(CultureInfo.InvariantCulture, $"'{name}' must be at least {min} (was {value})");
        }

        if (schema.TryGetProperty("maximum", out var maximum) && maximum.TryGetDouble(out var max) && value > max)
        {
            return string.Create(CultureInfo.InvariantCulture, $"'{name}' must be at most {max} (was {value})");
        }

        return null;
    }

    private static string? MainType(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => type.GetString(),
            JsonValueKind.Array => type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null"),
            _ => null,
        };
    }

    private static bool AllowsNull(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array
        && type.EnumerateArray().Any(t => t.GetString() == "null");
}
