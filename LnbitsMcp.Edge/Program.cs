using LnbitsMcp.Edge.Extensions;
using LnbitsMcp.Edge.RateLimiting;
using LnbitsMcp.Edge.Security;
using LnbitsMcp.Edge.Tls;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRequestGuards();
builder.AddTrustedProxies();
builder.AddEdgeTls();
builder.AddEdgeRateLimiting();
builder.AddEdgeProxy();

var app = builder.Build();
app.UseTrustedProxies();
app.UseEdgeTls();
app.UseRequestGuards();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapEdgeProxy();
app.Run();

/// <summary>Entry point, visible to tests that host the edge.</summary>
public partial class Program;
