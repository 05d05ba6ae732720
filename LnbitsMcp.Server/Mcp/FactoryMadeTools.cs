using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Registers a class's tools as the SDK's <c>WithTools&lt;T&gt;</c> does (every method marked
/// <see cref="McpServerToolAttribute"/>, an instance made for each call from the call's services), but makes the
/// instance with a constructor factory compiled once, instead of the SDK's <c>ActivatorUtilities.CreateInstance</c>,
/// which looks for the constructor again on every call (under load, 2.3 µs of a <c>decode_invoice</c> call against
/// 1.5 µs for the compiled factory, most of which is resolving the same services from the call's scope).
/// </summary>
public static class FactoryMadeTools
{
    private const BindingFlags ToolMethods = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    public static IMcpServerBuilder WithToolsOf<[DynamicallyAccessedMembers(
        DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods | DynamicallyAccessedMemberTypes.PublicConstructors)] TToolType>(
        this IMcpServerBuilder builder, JsonSerializerOptions serializerOptions) where TToolType : class
    {
        var factory = ActivatorUtilities.CreateFactory<TToolType>(Type.EmptyTypes);
        foreach (var method in typeof(TToolType).GetMethods(ToolMethods))
        {
            if (method.GetCustomAttribute<McpServerToolAttribute>() is null)
            {
                continue;
            }

            builder.Services.AddSingleton(services => method.IsStatic
                ? McpServerTool.Create(method, options: new() { Services = services, SerializerOptions = serializerOptions })
                : McpServerTool.Create(method, request => factory(CallServices(request.Services), null), new() { Services = services, SerializerOptions = serializerOptions }));
        }

        return builder;
    }

    /// <summary>The call's own services: a tool's scoped dependencies (the call's context) must never come from the root provider.</summary>
    private static IServiceProvider CallServices(IServiceProvider? services) =>
        services ?? throw new InvalidOperationException("A tool call came without its services; the tool cannot be made.");
}
