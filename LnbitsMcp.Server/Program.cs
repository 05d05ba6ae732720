using LnbitsMcp.Server.Cli;
using LnbitsMcp.Server.Mcp;

var commandLine = ServerCommandLine.Parse(args);
if (commandLine.ShowHelp || commandLine.Error is not null)
{
    ServerCommandLine.WriteHelp(commandLine.Error is null ? Console.Out : Console.Error);
    if (commandLine.Error is not null) { Console.Error.WriteLine($"error: {commandLine.Error}"); }
    return commandLine.Error is null ? 0 : 2;
}

var builder = WebApplication.CreateBuilder([.. commandLine.HostArguments]);
builder.UseServerCommandLine(commandLine);
builder.AddServiceDefaults();
builder.AddLnbitsMcpServer();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapLnbitsMcp();
await app.RunAsync();
return 0;
