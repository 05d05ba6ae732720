using LnbitsMcp.AppHost;
using LnbitsMcp.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedisForEnvironment("redis");

var lnbits = builder.AddLnbits();

var servers = builder.AddServerInstances(redis, lnbits);

builder.AddProject<Projects.LnbitsMcp_Edge>("edge")
    .WithExternalHttpEndpoints()
    .WithServerDestinations(servers)
    .WithReference(redis).WaitFor(redis)
    .WithHealthProbes()
    .WithMcpEndpointAnnouncement();

builder.Build().Run();
