namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>An invoice that does not decode; the message is the bolt11 library's wording.</summary>
internal sealed class Bolt11DecodeException(string message) : Exception(message);
