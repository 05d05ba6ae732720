using System.ComponentModel;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>
/// <see cref="FactoryMadeTools.WithToolsOf{TToolType}"/> registers a class's tools as the SDK's <c>WithTools</c> does:
/// every marked method, static or not, and for an instance method a new instance per call, made from that call's services.
/// </summary>
public sealed class FactoryMadeToolsTests
{
    [Fact]
    public async Task EveryMarkedMethodIsATool()
    {
        await using var provider = Services();
        Assert.Equal(["echo", "whose_call"], provider.GetServices<McpServerTool>().Select(t => t.ProtocolTool.Name).Order(StringComparer.Ordinal));
        Assert.Equal("hi", Text(await InvokeAsync(provider, "echo", provider, new() { ["text"] = Json("hi") })));
    }

    [Fact]
    public async Task EachCallMakesItsToolFromItsOwnServices()
    {
        await using var provider = Services();
        await using var first = provider.CreateAsyncScope();
        await using var second = provider.CreateAsyncScope();
        var madeBefore = Volatile.Read(ref MarkedTools.Made);

        var firstAnswer = Text(await InvokeAsync(provider, "whose_call", first.ServiceProvider));
        var secondAnswer = Text(await InvokeAsync(provider, "whose_call", second.ServiceProvider));
        var firstAgain = Text(await InvokeAsync(provider, "whose_call", first.ServiceProvider));

        Assert.Equal(first.ServiceProvider.GetRequiredService<CallMarker>().Id.ToString(), firstAnswer);
        Assert.Equal(second.ServiceProvider.GetRequiredService<CallMarker>().Id.ToString(), secondAnswer);
        Assert.Equal(firstAnswer, firstAgain);
        Assert.Equal(3, Volatile.Read(ref MarkedTools.Made) - madeBefore); // a new instance per call, also within one scope
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddScoped<CallMarker>();
        services.AddMcpServer().WithToolsOf<MarkedTools>(ToolJson.Options);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private static async Task<CallToolResult> InvokeAsync(IServiceProvider provider, string name, IServiceProvider callServices, Dictionary<string, System.Text.Json.JsonElement>? arguments = null)
    {
        var tool = provider.GetServices<McpServerTool>().Single(t => t.ProtocolTool.Name == name);
        await using var server = McpServer.Create(new StreamServerTransport(Stream.Null, Stream.Null), new McpServerOptions(), serviceProvider: provider);
        var request = new RequestContext<CallToolRequestParams>(server, new JsonRpcRequest { Method = RequestMethods.ToolsCall }, new() { Name = name, Arguments = arguments })
        {
            Services = callServices,
        };
        return await tool.InvokeAsync(request, TestContext.Current.CancellationToken);
    }

    private static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonSerializer.SerializeToElement(text);

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    public sealed class CallMarker
    {
        public Guid Id { get; } = Guid.NewGuid();
    }

    public sealed class MarkedTools(CallMarker marker)
    {
        public static int Made;

        private readonly CallMarker _marker = Count(marker);

        [McpServerTool(Name = "whose_call"), Description("The id of the call's marker.")]
        public string WhoseCall() => _marker.Id.ToString();

        [McpServerTool(Name = "echo"), Description("Echoes the text.")]
        public static string Echo(string text) => text;

        public void NotATool()
        {
        }

        private static CallMarker Count(CallMarker marker)
        {
            Interlocked.Increment(ref Made);
            return marker;
        }
    }
}
