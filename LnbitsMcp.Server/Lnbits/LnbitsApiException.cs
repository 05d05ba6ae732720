using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>An LNbits failure mapped to a contract error code, with LNbits' own message kept.</summary>
public sealed class LnbitsApiException(string code, string message, int? httpStatus = null, string? paymentStatus = null, bool connectionFailed = false)
    : ToolException(code, message)
{
    /// <summary>The HTTP status LNbits answered, or null when no answer came (timeout, refused).</summary>
    public int? HttpStatus { get; } = httpStatus;

    /// <summary>The <c>status</c> of a 520 payment error: failed (nothing moved), pending or success.</summary>
    public string? PaymentStatus { get; } = paymentStatus;

    /// <summary>True when no connection could be made (nothing reached LNbits): safe to retry a GET.</summary>
    public bool ConnectionFailed { get; } = connectionFailed;

    /// <summary>True when the request may have reached LNbits but no answer came: a payment's outcome is unknown.</summary>
    public bool OutcomeUnknown => HttpStatus is null && !ConnectionFailed && Code == ToolErrorCodes.LnbitsUnreachable;
}
