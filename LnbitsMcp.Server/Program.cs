using LnbitsMcp.Server;
using LnbitsMcp.Server.Cli;

var commandLine = ServerCommandLine.Parse(args);
if (commandLine.ShowHelp || commandLine.Error is not null)
{
    return ServerCommandLine.WriteUsage(commandLine, Console.Out, Console.Error);
}

if (commandLine.Stdio)
{
    await StdioApplication.Build(commandLine).RunAsync();
    return 0;
}

var app = ServerApplication.Build(commandLine);
await app.RunAsync();
return 0;
