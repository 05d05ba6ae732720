namespace LnbitsMcp.Server.Mcp;

/// <summary>The business error codes of CONTRACT §5.</summary>
public static class ToolErrorCodes
{
    public const string InvalidArgument = "invalid_argument";
    public const string NoSession = "no_session";
    public const string SessionNotFound = "session_not_found";
    public const string NotConfigured = "not_configured";
    public const string InvalidInvoice = "invalid_invoice";
    public const string InvoiceExpired = "invoice_expired";
    public const string AmountlessInvoice = "amountless_invoice";
    public const string LimitExceeded = "limit_exceeded";
    public const string InsufficientBalance = "insufficient_balance";
    public const string AlreadyPaid = "already_paid";
    public const string LnbitsUnauthorized = "lnbits_unauthorized";
    public const string LnbitsForbidden = "lnbits_forbidden";
    public const string LnbitsUnreachable = "lnbits_unreachable";
    public const string LnbitsError = "lnbits_error";
    public const string ForbiddenDestination = "forbidden_destination";
    public const string LnurlError = "lnurl_error";
    public const string ConfirmationRequired = "confirmation_required";
    public const string ConfirmationDeclined = "confirmation_declined";
    public const string ReadOnlySession = "read_only_session";

    /// <summary>Not in the contract's list: <c>pay_l402</c>'s resource answered in a way that cannot be paid or did not honour a paid credential.</summary>
    public const string L402Error = "l402_error";

    /// <summary>Not in the contract's list: the operator's or the connection's payee rules refuse this payee (the message names the rule).</summary>
    public const string PayeeNotAllowed = "payee_not_allowed";

    /// <summary>Not in the contract's list: the session store (Redis) cannot be reached; nothing was changed.</summary>
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>Not in the contract's list: a fault of ours, reported without details (they are in the logs).</summary>
    public const string InternalError = "internal_error";
}
