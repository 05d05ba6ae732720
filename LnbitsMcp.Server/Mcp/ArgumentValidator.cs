using System.Globalization;
using System.Runtime.InteropServices;
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

        switch (MainType(schema))
        {
            case SchemaType.String:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return $"'{name}' must be a string";
                }

                // A JSON string has at most as many UTF-16 characters as bytes between its quotes: only a longer one is read.
                if (JsonMarshal.GetRawUtf8Value(value).Length - 2 > MaxStringLength && value.GetString()!.Length is var length and > MaxStringLength)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"'{name}' is too long ({length} characters; at most {MaxStringLength})");
                }

                if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
                    && value.GetString() is var text
                    && !allowed.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.ValueEquals(text)))
                {
                    return $"'{name}' must be one of {string.Join(", ", allowed.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()))}";
                }

                return null;
            case SchemaType.Integer:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var integer))
                {
                    return value.ValueKind == JsonValueKind.Number
                        ? $"'{name}' must be a whole number within range"
                        : $"'{name}' must be an integer";
                }

                return CheckRange(name, schema, integer);
            case SchemaType.Number:
                return value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()) ? null : $"'{name}' must be a number";
            case SchemaType.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"'{name}' must be true or false";
            case SchemaType.Array:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return $"'{name}' must be a list";
                }

                return schema.TryGetProperty("items", out var items) && MainType(items) == SchemaType.String && value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String)
                    ? $"'{name}' must be a list of strings"
                    : null;
            case SchemaType.Object:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return $"'{name}' must be an object";
                }

                return schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object && MainType(values) == SchemaType.String
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

    private enum SchemaType
    {
        Other,
        String,
        Integer,
        Number,
        Boolean,
        Array,
        Object,
    }

    /// <summary>The schema's type (the non-null one of a <c>["string", "null"]</c> pair), compared where it lies.</summary>
    private static SchemaType MainType(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return SchemaType.Other;
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in type.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && !item.ValueEquals("null"u8))
                {
                    return TypeNamed(item);
                }
            }

            return SchemaType.Other;
        }

        return type.ValueKind == JsonValueKind.String ? TypeNamed(type) : SchemaType.Other;
    }

    private static SchemaType TypeNamed(JsonElement name) =>
        name.ValueEquals("string"u8) ? SchemaType.String
        : name.ValueEquals("integer"u8) ? SchemaType.Integer
        : name.ValueEquals("number"u8) ? SchemaType.Number
        : name.ValueEquals("boolean"u8) ? SchemaType.Boolean
        : name.ValueEquals("array"u8) ? SchemaType.Array
        : name.ValueEquals("object"u8) ? SchemaType.Object
        : SchemaType.Other;

    private static bool AllowsNull(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array
        && type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.ValueEquals("null"u8));
}
