using System.Text.Json;
using System.Text.Json.Nodes;
using LnbitsMcp.Server.Mcp;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Mcp;

/// <summary>
/// A successful result stays its JSON bytes until the response is written (<see cref="SerializedToolResult"/>):
/// what is written from the bytes is the JSON the SDK's contract writes from the parsed result, and read as a list
/// the content is the SDK's blocks.
/// </summary>
public sealed class SerializedToolResultTests
{
    private sealed record Sample(string Memo, long AmountMsat, string? Nothing, DateTimeOffset At) : IToolResult
    {
        public string Summary() => $"Décodé: \"{Memo}\" <{AmountMsat}> & 'more' \u2028 🙂";
    }

    private static readonly Sample Awkward = new("quotes \" backslash \\ tab \t newline \n <script>&amp; ünïcödé 🙂 \u0001 a+b", 21_000, null, DateTimeOffset.Parse("2026-12-05T11:13:42.78+01:00", System.Globalization.CultureInfo.InvariantCulture));

    private static readonly ImageContentBlock Image = new() { Data = "iVBORw0KGgo="u8.ToArray(), MimeType = "image/png" };

    public static TheoryData<string> Memos => new() { "plain", Awkward.Memo, new string('x', 5_000) };

    [Theory]
    [MemberData(nameof(Memos))]
    public void TheResponseWrittenFromTheBytesIsTheOneWrittenFromTheParsedResult(string memo)
    {
        var result = ToolResults.Success(Awkward with { Memo = memo }, Image);
        var serialized = Assert.IsType<SerializedToolResult>(result.Content);

        AssertSameJson(Written(serialized.ToCallToolResult()), Written(result));
    }

    [Fact]
    public void TheWireOptionsAreTheSdksSourceGeneratedContextsNotItsDefaultOnes()
    {
        // Were they the default ones (an SDK whose defaults no longer start from its context), results would still
        // be right, written by the fallback below, but would cost the parse and the string again.
        Assert.NotSame(McpJsonUtilities.DefaultOptions, SdkWireJson.Options);
        Assert.IsAssignableFrom<System.Text.Json.Serialization.JsonSerializerContext>(SdkWireJson.Options.TypeInfoResolver);
    }

    [Fact]
    public void WrittenWithOtherOptionsTheSdksContractsWriteTheSameJson()
    {
        var result = ToolResults.Success(Awkward, Image);
        var serialized = Assert.IsType<SerializedToolResult>(result.Content);

        AssertSameJson(Written(serialized.ToCallToolResult()), Written(result, McpJsonUtilities.DefaultOptions));
        AssertSameJson(Written(serialized.ToCallToolResult()), Written(result, McpJsonUtilities.ProtocolOptions));
    }

    [Fact]
    public void ReadAsAListTheContentIsTheTextBlockThenTheOthers()
    {
        var result = ToolResults.Success(Awkward, Image);

        Assert.Equal(2, result.Content.Count);
        var text = Assert.IsType<TextContentBlock>(result.Content[0]).Text;
        Assert.Equal(Awkward.Summary() + "\n" + JsonSerializer.Serialize(Awkward, ToolJson.Options), text);
        Assert.Same(Image, result.Content[1]);
        Assert.Same(result.Content[0], result.Content.First());
        Assert.Throws<NotSupportedException>(() => result.Content.Add(Image));
    }

    [Fact]
    public void TheStructuredContentIsTheResultsJsonWithoutItsNulls()
    {
        var serialized = Assert.IsType<SerializedToolResult>(ToolResults.Success(Awkward).Content);

        var structured = serialized.StructuredContent();
        Assert.Equal(Awkward.Memo, structured.GetProperty("memo").GetString());
        Assert.Equal(21_000, structured.GetProperty("amount_msat").GetInt64());
        Assert.False(structured.TryGetProperty("nothing", out _));
        Assert.Null(ToolResults.Success(Awkward).StructuredContent); // written from the bytes, not parsed on the way
    }

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

    private static string Written(CallToolResult result, JsonSerializerOptions? options = null)
    {
        var answer = new JsonObject { ["isError"] = false };
        DirectToolResults.PutBack(answer, result);
        return answer.ToJsonString(options ?? SdkWireJson.Options);
    }
}
