using System.Text;
using LnbitsMcp.Edge.Routing;
using LnbitsMcp.Edge.Tls;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LnbitsMcp.Edge.Tests;

public sealed class SseEndpointObservingContentTests
{
    [Theory]
    [InlineData("event: endpoint\ndata: /message?sessionId=abc-DEF_123\n\n", "abc-DEF_123")]
    [InlineData("event: endpoint\r\ndata: /mcp/message?sessionId=x%2By&other=1\r\n\r\n", "x+y")]
    [InlineData("event: endpoint\ndata: /message?sessionId=abc", null)]
    [InlineData("event: message\ndata: {}\n\n", null)]
    public void TheSessionIdIsReadFromACompleteEndpointEventOnly(string text, string? expected) =>
        Assert.Equal(expected, SseEndpointObservingContent.FindSessionId(text));

    [Fact]
    public async Task BytesPassThroughUnchangedAndTheSessionIsReportedBeforeTheyAreHandedOn()
    {
        var payload = "event: endpoint\ndata: /message?sessionId=s1\n\nevent: message\ndata: {\"x\":1}\n\n";
        var reported = new List<(string Id, int BytesHandedOnBefore)>();
        var handedOn = 0;
        using var inner = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(payload), chunk: 7));
        using var content = new SseEndpointObservingContent(inner, id =>
        {
            reported.Add((id, handedOn));
            return ValueTask.CompletedTask;
        });

        await using var stream = await content.ReadAsStreamAsync();
        var output = new MemoryStream();
        var buffer = new byte[7];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
            handedOn += read;
        }

        Assert.Equal(payload, Encoding.UTF8.GetString(output.ToArray()));
        var (sessionId, before) = Assert.Single(reported);
        Assert.Equal("s1", sessionId);
        Assert.True(before < payload.IndexOf("\n\n", StringComparison.Ordinal) + 2, "the route must be recorded before the event reaches the client");
    }

    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}

public sealed class SessionRouterTests
{
    [Fact]
    public async Task ARouteSlidesWhileUsedAndExpiresWhenIdle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var router = new SessionRouter(time, Options.Create(new RoutingOptions { SessionRouteLifetime = TimeSpan.FromMinutes(10) }), NullLogger<SessionRouter>.Instance);

        await router.RecordAsync("key-1", "server1");
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("server1", await router.FindAsync("key-1"));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("server1", await router.FindAsync("key-1"));
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(await router.FindAsync("key-1"));
    }

    [Fact]
    public void SessionKeysAreHashesAndHintsTheirFirstSixteenCharacters()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["Mcp-Session-Id"] = "raw-session-id";

        var key = SessionKey.FromRequest(context.Request)!;

        Assert.Equal(64, key.Length);
        Assert.DoesNotContain("raw-session-id", key, StringComparison.Ordinal);
        Assert.Equal(key[..16], SessionKey.Hint(key));
        var legacy = new DefaultHttpContext();
        legacy.Request.QueryString = new QueryString("?sessionId=raw-session-id");
        Assert.Equal(key, SessionKey.FromRequest(legacy.Request));
    }

    [Fact]
    public void ARequestsSessionKeyIsHashedOncePerRequest()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["Mcp-Session-Id"] = "raw-session-id";
        var key = SessionKey.FromRequest(context.Request);

        context.Request.Headers["Mcp-Session-Id"] = "another-session-id"; // not re-read: the rate limiter and the router agree

        Assert.Same(key, SessionKey.FromRequest(context.Request));
        Assert.Null(SessionKey.FromRequest(new DefaultHttpContext().Request));
    }
}

public sealed class EdgeCertificateTests
{
    [Fact]
    public void AFreshMachineGetsASelfSignedLocalhostCertificateThatIsKeptAndReused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edge-self-signed-{Guid.NewGuid():N}", "edge.pfx");
        try
        {
            using var first = EdgeCertificates.LoadOrCreateSelfSigned(path);
            using var second = EdgeCertificates.LoadOrCreateSelfSigned(path);

            Assert.True(first.HasPrivateKey);
            Assert.Equal(first.Thumbprint, second.Thumbprint);
            Assert.Contains("localhost", first.Subject, StringComparison.Ordinal);
            Assert.True(first.NotAfter > DateTime.Now.AddDays(300));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void AConfiguredCertificateThatDoesNotExistIsAClearStartupError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EdgeCertificates.Resolve(new EdgeTlsOptions { CertificatePath = "/nope/cert.pfx" }));

        Assert.Contains("Tls:CertificatePath", error.Message, StringComparison.Ordinal);
    }
}

public sealed class RequestGuardTests
{
    [Theory]
    [InlineData("localhost:8080", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]:443", true)]
    [InlineData("evil.example", false)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("192.168.1.20:8000", true)]
    [InlineData("[2001:db8::1]:8000", true)]
    public void LoopbackNamesAndIpLiteralsAreAllowedByDefaultButNoOtherName(string host, bool allowed) =>
        Assert.Equal(allowed, RequestGuards.HostIsAllowed(new HostString(host), new RequestGuardOptions()));

    [Fact]
    public void ConfiguredHostsAndTheWildcardAreAllowed()
    {
        Assert.True(RequestGuards.HostIsAllowed(new HostString("mcp.example.com"), new RequestGuardOptions { AllowedHosts = ["mcp.example.com"] }));
        Assert.True(RequestGuards.HostIsAllowed(new HostString("anything"), new RequestGuardOptions { AllowedHosts = ["*"] }));
    }
}
