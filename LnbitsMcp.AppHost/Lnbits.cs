namespace LnbitsMcp.AppHost;

/// <summary>
/// The LNbits the servers use: the parameter <c>lnbits-url</c> when set (always in publish mode),
/// otherwise the LNbits sandbox as resource <c>lnbits</c> (regtest, on loopback).
/// </summary>
public sealed record LnbitsTarget(ReferenceExpression Url, IResourceBuilder<ProjectResource>? Sandbox)
{
    public const string ParameterName = "lnbits-url";
}

public static class LnbitsExtensions
{
    public static LnbitsTarget AddLnbits(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"Parameters:{LnbitsTarget.ParameterName}"];
        if (builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(configured))
        {
            var parameter = builder.AddParameter(LnbitsTarget.ParameterName);
            return new LnbitsTarget(ReferenceExpression.Create($"{parameter}"), Sandbox: null);
        }

        var sandbox = builder.AddProject<Projects.LnbitsMcp_LnbitsSandbox>("lnbits")
            .WithHttpHealthCheck("/api/v1/health")
            .WithIconName("Flash");

        // 127.0.0.1 rather than localhost: the sandbox's Lightning Addresses then carry an IP literal.
        var port = sandbox.GetEndpoint("http").Property(EndpointProperty.Port);
        return new LnbitsTarget(ReferenceExpression.Create($"http://127.0.0.1:{port}"), sandbox);
    }

    /// <summary>Points a server at the LNbits target; with the sandbox, allows its loopback address and regtest invoices.</summary>
    public static IResourceBuilder<ProjectResource> WithLnbits(this IResourceBuilder<ProjectResource> server, LnbitsTarget lnbits)
    {
        server.WithEnvironment("LNBITS_URL", lnbits.Url);
        if (lnbits.Sandbox is { } sandbox)
        {
            server.WaitFor(sandbox)
                .WithEnvironment("Security__AllowPrivateNetworks", "true")
                .WithEnvironment("Payments__Network", "regtest");
        }

        return server;
    }
}
