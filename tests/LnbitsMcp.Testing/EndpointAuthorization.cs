using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace LnbitsMcp.Testing;

/// <summary>
/// Whether an endpoint asks for ASP.NET Core's authorization middleware, which the server and the edge leave out
/// (<c>AuthorizationMiddlewareOptOut</c>): such an endpoint would be refused at its first request.
/// </summary>
public static class EndpointAuthorization
{
    public static bool CarriesMetadata(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
        || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null
        || endpoint.Metadata.GetMetadata<IAuthorizationRequirementData>() is not null;
}
