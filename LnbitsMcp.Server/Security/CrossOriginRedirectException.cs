namespace LnbitsMcp.Server.Security;

/// <summary>A redirect to another origin (scheme, host or port) that a credential-carrying client does not follow.</summary>
public sealed class CrossOriginRedirectException(Uri from, Uri to)
    : Exception($"{from.GetLeftPart(UriPartial.Authority)} redirected to another origin ({to.GetLeftPart(UriPartial.Authority)}); requests carrying credentials do not follow it")
{
    public Uri From { get; } = from;

    public Uri To { get; } = to;
}
