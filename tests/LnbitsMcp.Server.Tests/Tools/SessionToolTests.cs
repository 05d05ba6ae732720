using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Tools;

public sealed class SessionToolTests : IAsyncLifetime
{
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync() => _server = await ServerHost.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CreateSessionReturnsAHighEntropyIdAndItsExpiry()
    {
        await using var client = await _server.ConnectAsync();
        var before = DateTimeOffset.UtcNow;

        var created = await client.CallOkAsync("create_session");

        var id = created.GetProperty("session_id").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", id);
        Assert.Equal(3600, created.GetProperty("idle_timeout_seconds").GetInt64());
        var expiresAt = created.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expiresAt, before.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task TheSessionHintIsTheSha256PrefixOfTheSessionId()
    {
        await using var client = await _server.ConnectAsync();
        var id = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;

        var info = await client.CallOkAsync("get_session_info", new { session_id = id });

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..16];
        Assert.Equal(expected, info.GetProperty("session_hint").GetString());
        Assert.False(info.GetProperty("bound_to_transport").GetBoolean());
        Assert.False(info.GetProperty("is_configured").GetBoolean());
        Assert.Equal("test-replica", info.GetProperty("replica").GetString());
    }

    [Fact]
    public async Task AStatefulConnectionGetsOneSessionBoundToIt()
    {
        await using var client = await _server.ConnectAsync();

        var first = await client.CallOkAsync("get_session_info");
        var second = await client.CallOkAsync("get_session_info");

        Assert.True(first.GetProperty("bound_to_transport").GetBoolean());
        Assert.Equal(first.GetProperty("session_hint").GetString(), second.GetProperty("session_hint").GetString());
    }

    [Fact]
    public async Task TwoConnectionsGetTwoDifferentSessions()
    {
        await using var alice = await _server.ConnectAsync();
        await using var bob = await _server.ConnectAsync();

        var aliceHint = (await alice.CallOkAsync("get_session_info")).GetProperty("session_hint").GetString();
        var bobHint = (await bob.CallOkAsync("get_session_info")).GetProperty("session_hint").GetString();

        Assert.NotEqual(aliceHint, bobHint);
    }

    [Fact]
    public async Task ALegacySseConnectionGetsASessionBoundToIt()
    {
        await using var client = await _server.ConnectAsync(mode: HttpTransportMode.Sse);

        var info = await client.CallOkAsync("get_session_info");

        Assert.True(info.GetProperty("bound_to_transport").GetBoolean());
    }

    [Fact]
    public async Task AnUnknownOrMalformedSessionIdIsSessionNotFoundNeverANewSession()
    {
        await using var client = await _server.ConnectAsync();

        await client.CallErrorAsync("get_session_info", "session_not_found", new { session_id = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
        await client.CallErrorAsync("get_wallet_balance", "session_not_found", new { session_id = "not a session" });
        await client.CallErrorAsync("get_session_info", "session_not_found", new { __session_id = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    }

    [Fact]
    public async Task TheSeedsDoubleUnderscoreSessionIdIsAnAlias()
    {
        await using var client = await _server.ConnectAsync();
        var id = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;

        var info = await client.CallOkAsync("get_session_info", new { __session_id = id });

        Assert.False(info.GetProperty("bound_to_transport").GetBoolean());
    }

    [Fact]
    public async Task AStatelessClientWithoutASessionGetsNoSession()
    {
        await using var client = await _server.ConnectAsync(protocolVersion: null);

        await client.CallErrorAsync("get_wallet_balance", "no_session");
        await client.CallErrorAsync("get_session_info", "no_session");
        await client.CallErrorAsync("configure_lnbits", "no_session", new { lnbits_url = "http://127.0.0.1:9", api_key = "k" });
    }

    [Fact]
    public async Task AStatelessClientUsesASessionThroughSessionId()
    {
        await using var client = await _server.ConnectAsync(protocolVersion: null);
        var id = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;

        var info = await client.CallOkAsync("get_session_info", new { session_id = id });

        Assert.False(info.GetProperty("is_configured").GetBoolean());
        await client.CallErrorAsync("get_wallet_balance", "not_configured", new { session_id = id });
    }

    [Fact]
    public async Task WithoutConfigurationTheConfigurationToolSaysSoWithoutFailing()
    {
        await using var client = await _server.ConnectAsync();

        var configuration = await client.CallOkAsync("get_lnbits_configuration");

        Assert.False(configuration.GetProperty("is_configured").GetBoolean());
    }
}

public sealed class SessionExpiryTests : IAsyncLifetime
{
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Sessions:IdleTimeout"] = "00:00:02" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AnIdleSessionIsGoneAndAUsedOneLivesOn()
    {
        await using var client = await _server.ConnectAsync();
        var idle = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        var used = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;

        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await client.CallOkAsync("get_session_info", new { session_id = used });
        }

        await client.CallErrorAsync("get_session_info", "session_not_found", new { session_id = idle });
        await client.CallOkAsync("get_session_info", new { session_id = used });
    }
}
