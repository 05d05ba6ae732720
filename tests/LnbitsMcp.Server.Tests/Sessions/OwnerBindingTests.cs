using System.Security.Claims;
using System.Text;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LnbitsMcp.Server.Tests.Sessions;

/// <summary>With JWT caller authentication on, a session belongs to the token's subject.</summary>
public sealed class OwnerBindingTests : IAsyncLifetime
{
    private const string SigningKey = "owner-binding-test-signing-key-0123456789";
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync() => _server = await ServerHost.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:Jwt:SigningKey"] = SigningKey,
        ["Sessions:MaxPerOwner"] = "3",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static Dictionary<string, string> As(string subject, string key = SigningKey) => new()
    {
        ["Authorization"] = "Bearer " + new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        }),
    };

    [Fact]
    public async Task AnotherPrincipalOrAnAnonymousCallerCannotUseASessionItDoesNotOwn()
    {
        await using var alice = await _server.ConnectAsync(protocolVersion: null, headers: As("alice"));
        await using var bob = await _server.ConnectAsync(protocolVersion: null, headers: As("bob"));
        await using var anonymous = await _server.ConnectAsync(protocolVersion: null);
        var id = (await alice.CallOkAsync("create_session")).GetProperty("session_id").GetString();

        await alice.CallOkAsync("get_session_info", new { session_id = id });
        await bob.CallErrorAsync("get_session_info", "session_not_found", new { session_id = id });
        await anonymous.CallErrorAsync("get_session_info", "session_not_found", new { session_id = id });
    }

    [Fact]
    public async Task ABadTokenIsRefusedWith401()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var forged = await _server.ConnectAsync(headers: As("mallory", "a-different-key-of-at-least-32-characters!!"));
            await forged.CallRawAsync("get_session_info");
        });

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.McpUrl) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("Authorization", "Bearer not.a.jwt");
        using var response = await http.SendAsync(request);
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsPerOwnerAreCappedWithAClearError()
    {
        await using var carol = await _server.ConnectAsync(protocolVersion: null, headers: As("carol"));
        await using var dave = await _server.ConnectAsync(protocolVersion: null, headers: As("dave"));
        for (var i = 0; i < 3; i++)
        {
            await carol.CallOkAsync("create_session");
        }

        var error = await carol.CallErrorAsync("create_session", "limit_exceeded");
        await dave.CallOkAsync("create_session");

        Assert.Contains("limit is 3", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
