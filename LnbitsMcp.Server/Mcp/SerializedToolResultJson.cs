using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// A <see cref="SerializedToolResult"/>'s <c>content</c> and <c>structuredContent</c> as JSON nodes that write
/// themselves from its bytes when the response is written: the structured content is the JSON as it is; the text
/// block's text (summary, line break, JSON) is escaped straight from UTF-8, without a string in between; further
/// blocks are written with the SDK's own contract. The JSON is the one the SDK would write from the parsed result
/// (a test compares them); only the structured content's escaping is our serializer's rather than the writer's
/// (a date's <c>+</c> stays as it is, where a parsed string written again becomes <c>\u002B</c>).
/// </summary>
public static class SerializedToolResultJson
{
    private static readonly JsonSerializerOptions WireOptions = SdkWireJson.Options;

    private static readonly JsonTypeInfo<IList<ContentBlock>> ContentInfo =
        JsonMetadataServices.CreateValueInfo<IList<ContentBlock>>(WireOptions, new ContentConverter());

    private static readonly JsonTypeInfo<IReadOnlyDictionary<string, object>> StructuredInfo =
        JsonMetadataServices.CreateValueInfo<IReadOnlyDictionary<string, object>>(WireOptions, new StructuredConverter());

    private static readonly JsonTypeInfo<ContentBlock> SdkBlockContract = (JsonTypeInfo<ContentBlock>)WireOptions.GetTypeInfo(typeof(ContentBlock));

    // Typed as what the SDK's own contracts know: written with other options (any but the wire's), a value is
    // resolved again in those, and the SDK's contract then writes the list's blocks and the dictionary's
    // properties, made from the bytes: the same JSON, at the cost of the parse and the string.
    public static JsonNode Content(SerializedToolResult result) => JsonValue.Create<IList<ContentBlock>>(result, ContentInfo)!;

    public static JsonNode StructuredContent(SerializedToolResult result) => JsonValue.Create<IReadOnlyDictionary<string, object>>(new StructuredJson(result.Json), StructuredInfo)!;

    /// <summary>The text block's text, escaped from its UTF-8 bytes (<see cref="SerializedToolResult.WriteTextUtf8"/>).</summary>
    private static void WriteText(Utf8JsonWriter writer, SerializedToolResult result)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(result.MaxTextUtf8Length);
        try
        {
            writer.WriteStringValue(buffer.AsSpan(0, result.WriteTextUtf8(buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class ContentConverter : JsonConverter<IList<ContentBlock>>
    {
        public override IList<ContentBlock> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Written only.");

        public override void Write(Utf8JsonWriter writer, IList<ContentBlock> value, JsonSerializerOptions options)
        {
            var result = (SerializedToolResult)value; // the only list given this type info
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WritePropertyName("text"u8);
            WriteText(writer, result);
            writer.WriteEndObject();
            foreach (var block in result.ExtraContent)
            {
                JsonSerializer.Serialize(writer, block, SdkBlockContract);
            }

            writer.WriteEndArray();
        }
    }

    private sealed class StructuredConverter : JsonConverter<IReadOnlyDictionary<string, object>>
    {
        public override IReadOnlyDictionary<string, object> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Written only.");

        public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object> value, JsonSerializerOptions options) =>
            writer.WriteRawValue(((StructuredJson)value).Json.Span, skipInputValidation: true); // the only dictionary given this type info
    }

    /// <summary>
    /// The structured content's JSON object; its properties (JSON elements) are parsed only if read as a dictionary,
    /// which the SDK's own contract does when it writes it.
    /// </summary>
    private sealed class StructuredJson(ReadOnlyMemory<byte> json) : IReadOnlyDictionary<string, object>
    {
        private Dictionary<string, object>? _properties;

        public ReadOnlyMemory<byte> Json { get; } = json;

        private Dictionary<string, object> Properties => _properties ??=
            JsonElement.Parse(Json.Span).EnumerateObject().ToDictionary(property => property.Name, property => (object)property.Value);

        public object this[string key] => Properties[key];

        public IEnumerable<string> Keys => Properties.Keys;

        public IEnumerable<object> Values => Properties.Values;

        public int Count => Properties.Count;

        public bool ContainsKey(string key) => Properties.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value) => Properties.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => Properties.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
