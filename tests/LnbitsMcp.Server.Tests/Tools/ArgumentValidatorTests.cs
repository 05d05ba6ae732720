using System.Text.Json;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>The argument check against a tool's input schema, on its own: what it refuses and how it says so.</summary>
public sealed class ArgumentValidatorTests
{
    private static readonly JsonElement s_schema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "bolt11":{"type":"string"},
          "direction":{"type":"string","enum":["in","out"]},
          "memo":{"type":["string","null"]},
          "limit":{"type":"integer","minimum":1,"maximum":100},
          "tags":{"type":"array","items":{"type":"string"}}},
         "required":["bolt11"]}
        """).RootElement;

    [Theory]
    [InlineData("""{"bolt11":"lnbc1"}""", null)]
    [InlineData("""{}""", "missing required argument 'bolt11'")]
    [InlineData("""{"bolt11":null}""", "missing required argument 'bolt11'")]
    [InlineData("""{"bolt11":5}""", "'bolt11' must be a string")]
    [InlineData("""{"bolt11":"x","direction":"out"}""", null)]
    [InlineData("""{"bolt11":"x","direction":"sideways"}""", "'direction' must be one of in, out")]
    [InlineData("""{"bolt11":"x","memo":null}""", null)]
    [InlineData("""{"bolt11":"x","memo":7}""", "'memo' must be a string")]
    [InlineData("""{"bolt11":"x","limit":0}""", "'limit' must be at least 1 (was 0)")]
    [InlineData("""{"bolt11":"x","limit":1.5}""", "'limit' must be a whole number within range")]
    [InlineData("""{"bolt11":"x","tags":["a",1]}""", "'tags' must be a list of strings")]
    [InlineData("""{"bolt11":"x","unknown":{"any":"thing"}}""", null)]
    public void ArgumentsAreCheckedAgainstTheSchema(string arguments, string? problem) =>
        Assert.Equal(problem, ArgumentValidator.Validate(s_schema, Arguments(arguments)));

    [Fact]
    public void AStringIsMeasuredInCharactersNotInTheBytesThatSpellIt()
    {
        var atTheLimit = new string('é', ArgumentValidator.MaxStringLength); // two UTF-8 bytes each, six when escaped
        var escaped = JsonSerializer.Serialize(atTheLimit);
        Assert.Contains("\\u00E9", escaped, StringComparison.Ordinal);

        Assert.Null(ArgumentValidator.Validate(s_schema, Arguments($$"""{"bolt11":{{escaped}}}""")));
        Assert.Null(ArgumentValidator.Validate(s_schema, Arguments($$"""{"bolt11":"{{atTheLimit}}"}""")));
        Assert.Equal($"'bolt11' is too long ({ArgumentValidator.MaxStringLength + 1} characters; at most {ArgumentValidator.MaxStringLength})",
            ArgumentValidator.Validate(s_schema, Arguments($$"""{"bolt11":"{{atTheLimit}}x"}""")));
    }

    private static Dictionary<string, JsonElement> Arguments(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
