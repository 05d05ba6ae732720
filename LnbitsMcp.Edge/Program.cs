using LnbitsMcp.Edge.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEdgeProxy();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapEdgeProxy();
app.Run();
