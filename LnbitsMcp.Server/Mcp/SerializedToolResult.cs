using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// A successful tool result as <see cref="ToolResults.Success{T}"/> makes it: the short summary, the result's JSON
/// (UTF-8, serialized once) and any further content blocks. It is the result's <see cref="CallToolResult.Content"/>,
/// and <see cref="DirectToolResults"/> writes the response's <c>content</c> and <c>structuredContent</c> from its
/// bytes. Neither the text block's string nor the structured content's <see cref="JsonElement"/> is made on the
/// way: read as a list, it makes the text block (summary, a line break, the JSON) when first asked;
/// <see cref="StructuredContent"/> parses the JSON when asked.
/// </summary>
public sealed class SerializedToolResult(string summary, byte[] json, IReadOnlyList<ContentBlock> extraContent) : IList<ContentBlock>
{
    private List<ContentBlock>? _blocks;

    public string Summary { get; } = summary;

    /// <summary>The structured content's JSON, written with <see cref="ToolJson.Options"/>; never changed.</summary>
    public ReadOnlyMemory<byte> Json { get; } = json;

    /// <summary>The blocks after the text block (e.g. an invoice's QR code).</summary>
    public IReadOnlyList<ContentBlock> ExtraContent { get; } = extraContent;

    /// <summary>The structured content, parsed from <see cref="Json"/>.</summary>
    public JsonElement StructuredContent() => JsonElement.Parse(Json.Span);

    /// <summary>The most bytes <see cref="WriteTextUtf8"/> may write.</summary>
    public int MaxTextUtf8Length => Encoding.UTF8.GetMaxByteCount(Summary.Length) + 1 + Json.Length;

    /// <summary>
    /// Writes the text block's text as UTF-8 — the summary, a line break, the JSON (for clients that read text only) —
    /// into <paramref name="destination"/> (at least <see cref="MaxTextUtf8Length"/> long); returns its length.
    /// </summary>
    public int WriteTextUtf8(Span<byte> destination)
    {
        var length = Encoding.UTF8.GetBytes(Summary, destination);
        destination[length++] = (byte)'\n';
        Json.Span.CopyTo(destination[length..]);
        return length + Json.Length;
    }

    /// <summary>The text block's text as a string (<see cref="WriteTextUtf8"/>).</summary>
    public string Text()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxTextUtf8Length);
        try
        {
            return Encoding.UTF8.GetString(buffer, 0, WriteTextUtf8(buffer));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The same result as the SDK would hold it: the text block made, the structured content parsed.</summary>
    public CallToolResult ToCallToolResult() => new() { StructuredContent = StructuredContent(), Content = [.. Blocks], IsError = false };

    private List<ContentBlock> Blocks => _blocks ??= [new TextContentBlock { Text = Text() }, .. ExtraContent];

    public ContentBlock this[int index]
    {
        get => Blocks[index];
        set => throw ReadOnly();
    }

    public int Count => 1 + ExtraContent.Count;

    public bool IsReadOnly => true;

    public int IndexOf(ContentBlock item) => Blocks.IndexOf(item);

    public bool Contains(ContentBlock item) => Blocks.Contains(item);

    public void CopyTo(ContentBlock[] array, int arrayIndex) => Blocks.CopyTo(array, arrayIndex);

    public IEnumerator<ContentBlock> GetEnumerator() => Blocks.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(ContentBlock item) => throw ReadOnly();

    public void Insert(int index, ContentBlock item) => throw ReadOnly();

    public bool Remove(ContentBlock item) => throw ReadOnly();

    public void RemoveAt(int index) => throw ReadOnly();

    public void Clear() => throw ReadOnly();

    private static NotSupportedException ReadOnly() => new("A tool result's content is read-only.");
}
