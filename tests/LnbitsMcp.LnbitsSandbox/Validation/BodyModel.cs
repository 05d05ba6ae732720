using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Errors;

namespace LnbitsMcp.LnbitsSandbox.Validation;

/// <summary>Validates a JSON body field by field with pydantic v1's coercions and messages,
/// collecting every issue; <see cref="ThrowIfInvalid"/> raises them as one 400 list.</summary>
internal sealed class BodyModel
{
    private readonly JsonObject? _object;
    private readonly List<ValidationIssue> _issues = [];

    public BodyModel(BodyValue body)
    {
        if (!body.Present)
        {
            _issues.Add(new ValidationIssue(["body"], "field required", "value_error.missing"));
        }
        else if (body.Node is JsonObject obj)
        {
            _object = obj;
        }
        else
        {
            _issues.Add(new ValidationIssue(["body"], "value is not a valid dict", "type_error.dict"));
        }
    }

    public bool IsValid => _issues.Count == 0;

    public bool Has(string name) => _object?[name] is not null;

    public void ThrowIfInvalid()
    {
        if (_issues.Count > 0)
        {
            throw new RequestValidationException(_issues);
        }
    }

    public void AddIssue(string name, string message, string type, JsonObject? ctx = null) =>
        _issues.Add(new ValidationIssue(["body", name], message, type, ctx));

    public double? Float(string name, bool required = false, double? minimum = null)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        double? result = value switch
        {
            JsonValue v when v.TryGetValue<double>(out var d) => d,
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? 1 : 0,
            JsonValue v when v.TryGetValue<string>(out var s)
                && double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (result is null)
        {
            AddIssue(name, "value is not a valid float", "type_error.float");
            return null;
        }

        if (minimum is { } min && result < min)
        {
            AddIssue(name, $"ensure this value is greater than or equal to {FormatNumber(min)}", "value_error.number.not_ge",
                new JsonObject { ["limit_value"] = min });
            return null;
        }

        return result;
    }

    public long? Int(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        long? result = value switch
        {
            JsonValue v when v.TryGetValue<long>(out var l) => l,
            JsonValue v when v.TryGetValue<double>(out var d) && Math.Abs(d) < 9e18 => (long)Math.Truncate(d),
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? 1 : 0,
            JsonValue v when v.TryGetValue<string>(out var s)
                && long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (result is null)
        {
            AddIssue(name, "value is not a valid integer", "type_error.integer");
        }

        return result;
    }

    public bool? Bool(string name, bool required = false, bool nullable = false)
    {
        if (_object is not null && _object.ContainsKey(name) && _object[name] is null && !nullable)
        {
            AddIssue(name, "none is not an allowed value", "type_error.none.not_allowed");
            return null;
        }

        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        bool? result = value switch
        {
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            JsonValue v when v.TryGetValue<long>(out var l) && l is 0 or 1 => l == 1,
            JsonValue v when v.TryGetValue<string>(out var s) => s.ToLowerInvariant() switch
            {
                "0" or "off" or "f" or "false" or "n" or "no" => false,
                "1" or "on" or "t" or "true" or "y" or "yes" => true,
                _ => null,
            },
            _ => null,
        };
        if (result is null)
        {
            AddIssue(name, "value could not be parsed to a boolean", "type_error.bool");
        }

        return result;
    }

    public string? Str(string name, bool required = false, int? maxLength = null, int? minLength = null)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        var result = AsString(value);
        if (result is null)
        {
            AddIssue(name, "str type expected", "type_error.str");
            return null;
        }

        if (maxLength is { } max && result.Length > max)
        {
            AddIssue(name, $"ensure this value has at most {max} characters", "value_error.any_str.max_length",
                new JsonObject { ["limit_value"] = max });
            return null;
        }

        if (minLength is { } min && result.Length < min)
        {
            AddIssue(name, $"ensure this value has at least {min} characters", "value_error.any_str.min_length",
                new JsonObject { ["limit_value"] = min });
            return null;
        }

        return result;
    }

    public JsonObject? Dict(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value is JsonObject obj)
        {
            return (JsonObject)obj.DeepClone();
        }

        AddIssue(name, "value is not a valid dict", "type_error.dict");
        return null;
    }

    public List<string>? StrList(string name)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        if (value is not JsonArray array)
        {
            AddIssue(name, "value is not a valid list", "type_error.list");
            return null;
        }

        var result = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i] is { } node ? AsString(node) : null;
            if (item is null)
            {
                _issues.Add(new ValidationIssue(["body", name, i], "str type expected", "type_error.str"));
                continue;
            }

            result.Add(item);
        }

        return result;
    }

    private bool TryGet(string name, bool required, out JsonNode value)
    {
        value = null!;
        if (_object is null)
        {
            return false;
        }

        if (_object[name] is not { } node)
        {
            if (required)
            {
                AddIssue(name, _object.ContainsKey(name) ? "none is not an allowed value" : "field required",
                    _object.ContainsKey(name) ? "type_error.none.not_allowed" : "value_error.missing");
            }

            return false;
        }

        value = node;
        return true;
    }

    private static string? AsString(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True => "True",
        JsonValue v when v.GetValueKind() is JsonValueKind.False => "False",
        _ => null,
    };

    private static string FormatNumber(double value) => value.ToString(CultureInfo.InvariantCulture);
}
