namespace LnbitsMcp.LnbitsSandbox.Errors;

/// <summary>FastAPI's HTTPException: answers <c>{"detail": "&lt;message&gt;"}</c> with the given status.</summary>
internal sealed class ApiException(int statusCode, string detail, IReadOnlyDictionary<string, string>? headers = null)
    : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();

    public static ApiException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static ApiException Unauthorized(string detail) => new(StatusCodes.Status401Unauthorized, detail);

    public static ApiException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);

    public static ApiException NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);
}
