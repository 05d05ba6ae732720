using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;

/// <summary>Status, parsed JSON body, headers and content type of one answer.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string? ContentType)
{
    public int Code => (int)Status;

    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"Not a JSON object: {Body}");

    public JsonArray Array => Body as JsonArray ?? throw new InvalidOperationException($"Not a JSON array: {Body}");

    public string? Detail => Object["detail"] is JsonValue value ? value.GetValue<string>() : null;

    public string Text(string name) => Object[name]!.GetValue<string>();

    public long Long(string name) => Object[name]!.GetValue<long>();
}

/// <summary>A wallet created through <c>POST /sandbox/wallets</c>.</summary>
public sealed record TestWallet(string Id, string Name, string AdminKey, string InKey, string User, string LightningAddress);
