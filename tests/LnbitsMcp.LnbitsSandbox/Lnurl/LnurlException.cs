namespace LnbitsMcp.LnbitsSandbox.Lnurl;

/// <summary>LNURL flow failure (the lnurl library's LnurlResponseException); the API answers 400 with its message.</summary>
internal sealed class LnurlException(string message) : Exception(message);
