namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// A business error meant for the model and the user: becomes a tool result with
/// <c>isError: true</c>, text <c>"code: message"</c> and <c>{"error":{"code","message",…}}</c>.
/// Messages must never contain a secret.
/// </summary>
public class ToolException(string code, string message, IReadOnlyDictionary<string, object?>? details = null)
    : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>Extra structured fields placed inside <c>error</c> (e.g. <c>confirmation_token</c>, limits left).</summary>
    public IReadOnlyDictionary<string, object?> Details { get; } = details ?? new Dictionary<string, object?>();

    public static ToolException InvalidArgument(string message) => new(ToolErrorCodes.InvalidArgument, message);
}
