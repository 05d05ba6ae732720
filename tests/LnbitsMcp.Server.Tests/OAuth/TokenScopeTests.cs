using System.Security.Claims;
using LnbitsMcp.Server.Auth;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>The scopes a validated token grants, read from its claims as OpenIddict and JWT issuers write them.</summary>
public sealed class TokenScopeTests
{
    [Fact]
    public void OpenIddictsOneClaimPerScopeAreReadInOrderWithoutOfflineAccess()
    {
        var user = Principal(("oi_scp", OAuthScopes.WalletRead), ("oi_scp", "offline_access"), ("oi_scp", OAuthScopes.WalletPay));

        Assert.Equal([OAuthScopes.WalletRead, OAuthScopes.WalletPay], ResourceServerGate.Scopes(user));
        Assert.True(ResourceServerGate.HasScope(user, OAuthScopes.WalletPay));
        Assert.False(ResourceServerGate.HasScope(user, "offline_access"));
    }

    [Fact]
    public void AJwtsSpaceSeparatedScopeClaimIsSplitAndEachScopeCountedOnce()
    {
        var user = Principal(("scope", $"  {OAuthScopes.WalletRead}  offline_access {OAuthScopes.WalletRead}"), ("oi_scp", OAuthScopes.WalletRead), ("sub", OAuthScopes.WalletPay));

        Assert.Equal([OAuthScopes.WalletRead], ResourceServerGate.Scopes(user));
        Assert.True(ResourceServerGate.HasScope(user, OAuthScopes.WalletRead));
        Assert.False(ResourceServerGate.HasScope(user, OAuthScopes.WalletPay)); // a claim of another type is no scope
    }

    [Fact]
    public void AScopeIsMatchedWholeNotAsAPartOfAnother()
    {
        var user = Principal(("scope", "wallet:payments wallet:re"));

        Assert.False(ResourceServerGate.HasScope(user, OAuthScopes.WalletPay));
        Assert.False(ResourceServerGate.HasScope(user, OAuthScopes.WalletRead));
        Assert.False(ResourceServerGate.HasScope(user, ""));
        Assert.True(ResourceServerGate.HasScope(user, "wallet:re"));
    }

    [Fact]
    public void AnAnonymousUserHasNoScopes()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity());

        Assert.Empty(ResourceServerGate.Scopes(user));
        Assert.False(ResourceServerGate.HasScope(user, OAuthScopes.WalletRead));
    }

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity([.. claims.Select(c => new Claim(c.Type, c.Value))], "test"));
}
