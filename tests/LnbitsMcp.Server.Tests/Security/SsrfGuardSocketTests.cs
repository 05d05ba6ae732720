using System.Net;
using LnbitsMcp.Server.Security;

namespace LnbitsMcp.Server.Tests.Security;

/// <summary>The guarded HTTP pipeline against a real server on 127.0.0.1.</summary>
public sealed class SsrfGuardSocketTests(LoopbackHttpServer server) : IClassFixture<LoopbackHttpServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RefusesLoopbackBeforeConnectingWhenPrivateNetworksAreNotAllowed()
    {
        using var client = Client(new SsrfGuardOptions());
        var connectionsBefore = server.Connections;

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(server.Url("/ok")).WaitAsync(Timeout));

        Assert.Equal("127.0.0.1", error.Host);
        Assert.Equal("a loopback address", error.Reason);
        Assert.Equal(connectionsBefore, server.Connections);
    }

    [Fact]
    public async Task TreatsLocalhostAsLoopback()
    {
        using var client = Client(new SsrfGuardOptions());
        var connectionsBefore = server.Connections;

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(server.Url("/ok", host: "localhost")).WaitAsync(Timeout));

        Assert.Equal("localhost", error.Host);
        Assert.Equal("a loopback address", error.Reason);
        Assert.Equal(connectionsBefore, server.Connections);
    }

    [Fact]
    public async Task ReachesLoopbackWhenPrivateNetworksAreAllowed()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true });

        var body = await client.GetStringAsync(server.Url("/ok")).WaitAsync(Timeout);

        Assert.Equal("hello", body);
    }

    [Fact]
    public async Task ResolvesLocalhostToLoopbackAndConnectsWhenAllowed()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true });

        var body = await client.GetStringAsync(server.Url("/ok", host: "localhost")).WaitAsync(Timeout);

        Assert.Equal("hello", body);
    }

    [Fact]
    public async Task RefusesAHostNameWhenAnyResolvedAddressIsNotAllowed()
    {
        using var client = Client(new SsrfGuardOptions(), Resolver(("rebind.test", ["93.184.216.34", "127.0.0.1"])));
        var connectionsBefore = server.Connections;

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(new Uri($"https://rebind.test:{server.Port}/ok")).WaitAsync(Timeout));

        Assert.Equal("rebind.test", error.Host);
        Assert.Equal("127.0.0.1", error.Address);
        Assert.Equal("destination rebind.test (127.0.0.1) is not allowed: a loopback address", error.Message);
        Assert.Equal(connectionsBefore, server.Connections);
    }

    [Fact]
    public async Task RefusesAHostNameThatResolvesToTheMetadataAddressEvenWithPrivateNetworksAllowed()
    {
        using var client = Client(
            new SsrfGuardOptions { AllowPrivateNetworks = true },
            Resolver(("metadata.test", ["169.254.169.254"])));

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(new Uri("https://metadata.test/latest/meta-data/")).WaitAsync(Timeout));

        Assert.Equal("a cloud metadata address", error.Reason);
    }

    [Fact]
    public async Task ConnectsToTheAddressItCheckedWithoutASecondLookup()
    {
        // "sandbox.test" exists only in this resolver: reaching the server proves the checked address was used.
        using var client = Client(
            new SsrfGuardOptions { AllowPrivateNetworks = true },
            Resolver(("sandbox.test", ["127.0.0.1"])));

        var body = await client.GetStringAsync(new Uri($"http://sandbox.test:{server.Port}/ok")).WaitAsync(Timeout);

        Assert.Equal("hello", body);
    }

    [Fact]
    public async Task RefusesPlainHttpToAHostNameThatResolvesToAPublicAddress()
    {
        using var client = Client(
            new SsrfGuardOptions { AllowPrivateNetworks = true },
            Resolver(("public.test", ["93.184.216.34"])));

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(new Uri("http://public.test/")).WaitAsync(Timeout));

        Assert.Equal("https is required for public hosts", error.Reason);
        Assert.Equal("93.184.216.34", error.Address);
    }

    [Fact]
    public async Task RefusesARedirectToTheMetadataAddress()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true });

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(server.Url("/redirect-metadata")).WaitAsync(Timeout));

        Assert.Equal("169.254.169.254", error.Host);
        Assert.Equal("a cloud metadata address", error.Reason);
    }

    [Fact]
    public async Task RefusesARedirectToPlainHttpOnAPublicAddress()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true });

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(server.Url("/redirect-public-http")).WaitAsync(Timeout));

        Assert.Equal("https is required for public hosts", error.Reason);
    }

    [Fact]
    public async Task FollowsAllowedRedirects()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true });

        using var response = await client.GetAsync(server.Url("/redirect-local")).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
        Assert.Equal("/ok", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task StopsFollowingAfterMaxRedirectsAndReturnsTheRedirect()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true, MaxRedirects = 2 });
        var requestsBefore = server.Requests;

        using var response = await client.GetAsync(server.Url("/redirect-loop")).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(3, server.Requests - requestsBefore);
    }

    [Theory]
    [InlineData("/redirect-headers-same-origin", "Bearer token")]
    [InlineData("/redirect-headers-other-origin", "")]
    public async Task KeepsCredentialsOnlyWhenARedirectStaysOnTheSameOrigin(string path, string expectedAuthorization)
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url(path));
        request.Headers.Authorization = new("Bearer", "token");

        using var response = await client.SendAsync(request).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedAuthorization, await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task RefusesAResponseWhoseContentLengthIsOverTheCap()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true, MaxResponseBytes = 64 * 1024 });

        var error = await Assert.ThrowsAsync<ResponseTooLargeException>(
            () => client.GetAsync(server.Url("/big")).WaitAsync(Timeout));

        Assert.Equal("the response from 127.0.0.1 is larger than 65536 bytes", error.Message);
    }

    [Fact]
    public async Task CutsAStreamedBodyAtTheCap()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true, MaxResponseBytes = 64 * 1024 });

        await Assert.ThrowsAsync<ResponseTooLargeException>(
            () => client.GetAsync(server.Url("/stream"), HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout));
    }

    [Fact]
    public async Task AcceptsABodyUpToTheCap()
    {
        using var client = Client(new SsrfGuardOptions { AllowPrivateNetworks = true, MaxResponseBytes = LoopbackHttpServer.BigBodyBytes });

        var bytes = await client.GetByteArrayAsync(server.Url("/stream")).WaitAsync(Timeout);

        Assert.Equal(LoopbackHttpServer.BigBodyBytes, bytes.Length);
    }

    private static HttpClient Client(SsrfGuardOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null) =>
        new(new SsrfGuardHandler(options) { InnerHandler = SsrfGuard.CreatePrimaryHandler(options, resolve ?? Dns.GetHostAddressesAsync) })
        {
            Timeout = Timeout,
        };

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(params (string Host, string[] Addresses)[] entries) =>
        (host, _) =>
        {
            var match = entries.FirstOrDefault(e => e.Host == host);
            return match.Host is null
                ? Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound))
                : Task.FromResult(match.Addresses.Select(IPAddress.Parse).ToArray());
        };
}
