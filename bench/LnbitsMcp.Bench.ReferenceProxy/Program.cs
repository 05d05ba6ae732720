using Yarp.ReverseProxy.Configuration;

// Bare YARP, as its getting-started sample runs it: every path to one destination (--destination <url>).
var builder = WebApplication.CreateBuilder(args);
var destination = builder.Configuration["destination"] ?? throw new InvalidOperationException("--destination <url> is required");
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "server", Match = new RouteMatch { Path = "{**catch-all}" } }],
    [new ClusterConfig { ClusterId = "server", Destinations = new Dictionary<string, DestinationConfig> { ["server"] = new() { Address = destination } } }]);

var app = builder.Build();
app.MapReverseProxy();
app.Run();
