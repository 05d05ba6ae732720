using System.Security.Claims;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Tests.Sessions;

/// <summary>A session's owner key: the SHA-256 of the caller's subject, the same whether made afresh or kept, never for an anonymous caller.</summary>
public sealed class OwnerKeyTests
{
    [Fact]
    public void TheKeyIsTheSubjectsHashWhetherMadeOrKept()
    {
        var subject = "subject-" + Guid.NewGuid().ToString("N");
        var expected = SessionId.Key("owner:" + subject);

        Assert.Equal(expected, OwnerKey.Of(User(("sub", subject))));
        Assert.Equal(expected, OwnerKey.Of(User(("sub", subject)))); // kept
        Assert.Equal(expected, OwnerKey.OfSubject(subject));
        Assert.Equal(expected, OwnerKey.Of(User((ClaimTypes.NameIdentifier, subject))));
        Assert.NotEqual(expected, OwnerKey.Of(User(("sub", subject + "x"))));
    }

    [Fact]
    public void MoreSubjectsThanItKeepsStillGetTheirOwnKeys()
    {
        var subjects = Enumerable.Range(0, OwnerKey.Capacity + 10).Select(i => $"many-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var subject in subjects)
        {
            Assert.Equal(SessionId.Key("owner:" + subject), OwnerKey.OfSubject(subject));
        }

        Assert.Equal(SessionId.Key("owner:" + subjects[0]), OwnerKey.OfSubject(subjects[0]));
        Assert.Equal(SessionId.Key("owner:" + subjects[^1]), OwnerKey.OfSubject(subjects[^1]));
    }

    [Fact]
    public void AnAnonymousCallerOrOneWithoutASubjectOwnsNothing()
    {
        Assert.Null(OwnerKey.Of(null));
        Assert.Null(OwnerKey.Of(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "someone")])))); // not authenticated
        Assert.Null(OwnerKey.Of(User(("scope", "wallet:read"))));
    }

    private static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));
}
