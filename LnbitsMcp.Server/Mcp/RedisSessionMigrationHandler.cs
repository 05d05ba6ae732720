using System.Text.Json;
using System.Text.Json.Serialization;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Lets any instance continue a stateful MCP session (same <c>Mcp-Session-Id</c>) that another
/// instance started, e.g. after a failover: the initialize parameters are kept in Redis under a hash
/// of the id, with the owner, and expire with the session's idle timeout. The LNbits session bound to
/// the MCP session is found through the transport binding, also in Redis.
/// </summary>
public sealed class RedisSessionMigrationHandler(IConnectionMultiplexer redis, IOptions<SessionsOptions> options) : ISessionMigrationHandler
{
    public async ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken)
    {
        var record = new MigrationRecord(OwnerKey.Of(context.User), JsonSerializer.SerializeToElement(initializeParams, McpJsonUtilities.DefaultOptions));
        await redis.GetDatabase().StringSetAsync(RedisKeys.McpSession(sessionId),
            JsonSerializer.Serialize(record, MigrationJson.Default.MigrationRecord), options.Value.IdleTimeout);
    }

    public async ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken)
    {
        // Kept as long as the bound session's index entries (which renew it), never shorter.
        var value = await redis.GetDatabase().StringGetSetExpiryAsync(RedisKeys.McpSession(sessionId), RedisSessionStore.EntryLifetime(options.Value.IdleTimeout));
        if (!value.HasValue)
        {
            return null;
        }

        var record = JsonSerializer.Deserialize((string)value!, MigrationJson.Default.MigrationRecord);
        if (record is null || record.Owner != OwnerKey.Of(context.User))
        {
            return null;
        }

        return record.InitializeParams.Deserialize<InitializeRequestParams>(McpJsonUtilities.DefaultOptions);
    }
}

public sealed record MigrationRecord(
    [property: JsonPropertyName("owner")] string? Owner,
    [property: JsonPropertyName("initialize")] JsonElement InitializeParams);

[JsonSerializable(typeof(MigrationRecord))]
public sealed partial class MigrationJson : JsonSerializerContext;
