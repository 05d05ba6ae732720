namespace LnbitsMcp.Server.Security;

/// <summary>PLACEHOLDER until the SSRF guard lands (helper branch `lightning`).</summary>
public sealed class ForbiddenDestinationException(string message) : Exception(message);
