using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Telemetry;

namespace LnbitsMcp.Server.Tests.Telemetry;

public sealed class SecretRedactorTests
{
    [Fact]
    public void ARegisteredKeyIsMaskedWhereverItStandsAndOtherTextIsKept()
    {
        var key = Guid.NewGuid().ToString("N");
        SecretRedactor.Register(key);

        Assert.Equal("GET /api/v1/wallet?api-key=*** failed", SecretRedactor.Redact($"GET /api/v1/wallet?api-key={key} failed"));
        Assert.Equal("{\"detail\":\"bad key ***\"}", SecretRedactor.Redact($"{{\"detail\":\"bad key {key}\"}}"));
        Assert.Equal("*** and ***", SecretRedactor.Redact($"{key} and {key}"));
        Assert.Equal("nothing secret here at all", SecretRedactor.Redact("nothing secret here at all"));
        Assert.Equal($"x{key}x".Length, SecretRedactor.Redact($"x{key}x").Length); // part of a longer token: another value
    }

    [Fact]
    public void APasswordWithSpacesAndSymbolsIsMaskedWhole()
    {
        const string password = "correct horse!battery staple#42";
        SecretRedactor.Register(password);

        Assert.Equal("login with *** refused", SecretRedactor.Redact($"login with {password} refused"));
    }

    [Fact]
    public void SecretsRegisterThemselvesAndNeverPrint()
    {
        var token = "tok_" + Guid.NewGuid().ToString("N");
        var secret = new Secret(token);

        Assert.Equal("***", secret.ToString());
        Assert.Equal("***" + token[^4..], secret.Masked());
        Assert.Equal("Authorization: Bearer ***", SecretRedactor.Redact($"Authorization: Bearer {token}"));
    }
}
