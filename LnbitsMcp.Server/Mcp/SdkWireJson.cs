using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;

namespace LnbitsMcp.Server.Mcp;

/// <summary>The JSON options the MCP SDK writes its messages to the wire with.</summary>
public static class SdkWireJson
{
    /// <summary>
    /// Those of the SDK's source-generated context, which heads the resolver chain of
    /// <see cref="McpJsonUtilities.DefaultOptions"/> (made from the context's options); the default options
    /// themselves if that ever changes. Serializing with them gives the bytes the SDK sends: a JSON value written with
    /// options other than its type info's resolves its type again in them (<see cref="SerializedToolResultJson"/>).
    /// </summary>
    public static JsonSerializerOptions Options { get; } =
        McpJsonUtilities.DefaultOptions.TypeInfoResolverChain.OfType<JsonSerializerContext>().FirstOrDefault()?.Options ?? McpJsonUtilities.DefaultOptions;
}
