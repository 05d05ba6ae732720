namespace LnbitsMcp.LnbitsSandbox.Errors;

/// <summary>LNbits' PaymentError / InvoiceError: answers 520 <c>{"detail", "status"}</c>.</summary>
internal sealed class PaymentException(string message, string status = PaymentStatusText.Failed) : Exception(message)
{
    public const int StatusCode = 520;

    public string Status { get; } = status;
}

internal static class PaymentStatusText
{
    public const string Pending = "pending";
    public const string Success = "success";
    public const string Failed = "failed";
}
