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
    public void SecretsNeverPrintAndAreScrubbedFromTheirCallOnly()
    {
        var token = "tok_" + Guid.NewGuid().ToString("N");
        var before = SecretRedactor.RegisteredCount;
        using (SecretRedactor.BeginScope())
        {
            var secret = new Secret(token);

            Assert.Equal("***", secret.ToString());
            Assert.Equal("Authorization: Bearer ***", SecretRedactor.Redact($"Authorization: Bearer {token}"));
        }

        Assert.Equal($"Authorization: Bearer {token}", SecretRedactor.Redact($"Authorization: Bearer {token}"));
        Assert.True(SecretRedactor.RegisteredCount <= before, "an unverified secret must not be registered process-wide");
    }

    [Fact]
    public void AValueRegisteredForACallIsAlsoScrubbedFromTheEnclosingRequestAfterTheCall()
    {
        var preimage = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var request = SecretRedactor.BeginScope();
        using (SecretRedactor.BeginScope())
        {
            SecretRedactor.RegisterForCall(preimage);
        }

        Assert.Equal("response: ***", SecretRedactor.Redact($"response: {preimage}"));
    }

    [Fact]
    public void RegisteredValuesExpireWithTheirLifetime()
    {
        var live = Guid.NewGuid().ToString("N");
        var gone = Guid.NewGuid().ToString("N");
        SecretRedactor.Register(live, TimeSpan.FromMinutes(5));
        SecretRedactor.Register(gone, TimeSpan.Zero);

        Assert.Equal("***", SecretRedactor.Redact(live));
        Assert.Equal(gone, SecretRedactor.Redact(gone));
    }

    [Theory]
    [InlineData(4)] // a short lifetime: always written
    [InlineData(20)] // a long one: read first, written since the expiry it has is past
    public void ATokenRegisteredAgainAfterItsExpiryIsMaskedAgain(int seconds)
    {
        var token = Guid.NewGuid().ToString("N");
        SecretRedactor.Register(token, TimeSpan.Zero);
        Assert.Equal(token, SecretRedactor.Redact(token));

        SecretRedactor.Register(token, TimeSpan.FromSeconds(seconds));
        SecretRedactor.Register(token, TimeSpan.FromSeconds(seconds)); // again at once: kept as it is

        Assert.Equal("***", SecretRedactor.Redact(token));
    }

    [Fact]
    public void APasswordExpiresWithItsLifetimeAndIsMaskedAgainOnceRegisteredAgain()
    {
        var password = $"gone soon {Guid.NewGuid():N}!";
        SecretRedactor.Register(password, TimeSpan.Zero);

        Assert.Equal($"login with {password}", SecretRedactor.Redact($"login with {password}"));

        SecretRedactor.Register(password, TimeSpan.FromMinutes(5));

        Assert.Equal("login with ***", SecretRedactor.Redact($"login with {password}"));
    }

    [Fact]
    public void JsonEscapedSecretsAreMasked()
    {
        var key = Guid.NewGuid().ToString("N");
        const string password = "pa\"ss <word> 42!";
        SecretRedactor.Register(key);
        SecretRedactor.Register(password);

        Assert.Equal("{\\u0022key\\u0022:\\u0022***\\u0022}", SecretRedactor.Redact($"{{\\u0022key\\u0022:\\u0022{key}\\u0022}}"));
        Assert.Equal("line\\n***", SecretRedactor.Redact($"line\\n{key}"));
        Assert.Equal("{\"p\":\"***\"}", SecretRedactor.Redact($"{{\"p\":{System.Text.Json.JsonSerializer.Serialize(password)}}}"));
    }

    [Fact]
    public void ListValuedAttributesAndSecretNamedAttributesAreScrubbed()
    {
        var key = Guid.NewGuid().ToString("N");
        SecretRedactor.Register(key);

        Assert.Equal(["***"], (string[])TelemetryText.ScrubValue("values", new[] { key })!);
        Assert.Equal("***", TelemetryText.ScrubValue("X-Api-Key", new[] { "never-registered-value" }));
        Assert.Equal("***", TelemetryText.ScrubValue("SessionId", "some-transport-session"));
        Assert.Equal("GET", TelemetryText.ScrubValue("http.request.method", "GET"));
    }

    [Theory]
    [InlineData("session_id", true)]
    [InlineData("Mcp-Session-Id", true)]
    [InlineData("http.request.header.authorization", true)]
    [InlineData("X-LNbits-Api-Key", true)]
    [InlineData("x-lnbits-mcp-edge-secret", true)]
    [InlineData("__session_id", true)]
    [InlineData("lnbits_mcp.session", false)]
    [InlineData("mcp.tool.name", false)]
    [InlineData("session.", false)]
    [InlineData("", false)]
    public void NamesAreSecretByTheirLastSegmentWithoutSeparators(string name, bool secret)
    {
        Assert.Equal(secret, Microsoft.Extensions.Hosting.SecretNames.IsSecret(name));

        // The telemetry names' answers, kept by reference: the same, asked first and again, also for an equal name that is another string.
        Assert.Equal(secret, Microsoft.Extensions.Hosting.SecretNames.IsSecretTelemetryName(name));
        Assert.Equal(secret, Microsoft.Extensions.Hosting.SecretNames.IsSecretTelemetryName(name));
        Assert.Equal(secret, Microsoft.Extensions.Hosting.SecretNames.IsSecretTelemetryName(new string(name.AsSpan())));
    }

    [Fact]
    public void SecretNamedJsonPropertiesAndQueryParametersAreMaskedWithoutRegistration()
    {
        const string message = "Message: '{\"method\":\"tools/call\",\"params\":{\"arguments\":{\"session_id\":\"abc def\",\"amount\":5}}}'";
        const string escaped = "{\"text\":\"{\\\"preimage\\\":\\\"00ff\\\",\\\"status\\\":\\\"success\\\"}\"}";

        Assert.Equal("Message: '{\"method\":\"tools/call\",\"params\":{\"arguments\":{\"session_id\":\"***\",\"amount\":5}}}'", TelemetryText.Scrub(message));
        Assert.Equal("{\"text\":\"{\\\"preimage\\\":\\\"***\\\",\\\"status\\\":\\\"success\\\"}\"}", TelemetryText.Scrub(escaped));
        Assert.Equal("POST /message?sessionId=*** and /api/v1/wallet?api-key=***&x=1", TelemetryText.Scrub("POST /message?sessionId=Zm9v and /api/v1/wallet?api-key=0123abcd&x=1"));
    }
}
