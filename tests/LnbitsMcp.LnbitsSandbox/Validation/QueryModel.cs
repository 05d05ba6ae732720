using System.Globalization;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Errors;

namespace LnbitsMcp.LnbitsSandbox.Validation;

/// <summary>Typed query parameters with FastAPI's 400 validation list on bad values.</summary>
internal sealed class QueryModel(IQueryCollection query)
{
    private readonly List<ValidationIssue> _issues = [];

    public string? Str(string name, bool required = false)
    {
        var value = query[name];
        if (value.Count == 0)
        {
            if (required)
            {
                _issues.Add(new ValidationIssue(["query", name], "field required", "value_error.missing"));
            }

            return null;
        }

        return value[^1];
    }

    public long? Int(string name, bool required = false)
    {
        var text = Str(name, required);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _issues.Add(new ValidationIssue(["query", name], "value is not a valid integer", "type_error.integer"));
        return null;
    }

    public bool? Bool(string name)
    {
        var text = Str(name);
        if (text is null)
        {
            return null;
        }

        switch (text.ToLowerInvariant())
        {
            case "0" or "off" or "f" or "false" or "n" or "no":
                return false;
            case "1" or "on" or "t" or "true" or "y" or "yes":
                return true;
            default:
                _issues.Add(new ValidationIssue(["query", name], "value could not be parsed to a boolean", "type_error.bool"));
                return null;
        }
    }

    public string? OneOf(string name, params string[] permitted)
    {
        var text = Str(name);
        if (text is null || permitted.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        var list = string.Join(", ", permitted.Select(p => $"'{p}'"));
        _issues.Add(new ValidationIssue(["query", name], $"unexpected value; permitted: {list}", "value_error.const",
            new JsonObject { ["given"] = text, ["permitted"] = new JsonArray([.. permitted.Select(p => (JsonNode)p)]) }));
        return null;
    }

    public void ThrowIfInvalid()
    {
        if (_issues.Count > 0)
        {
            throw new RequestValidationException(_issues);
        }
    }
}
