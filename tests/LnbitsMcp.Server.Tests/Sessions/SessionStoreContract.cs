using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Tests.Sessions;

/// <summary>What every session store must do; run against the in-process and the Redis store.</summary>
public abstract class SessionStoreContract : IAsyncLifetime
{
    protected static readonly TimeSpan ShortIdle = TimeSpan.FromSeconds(2);

    protected abstract Task<ISessionStore> CreateStoreAsync(SessionsOptions options);

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<ISessionStore> StoreAsync(TimeSpan? idle = null, int maxPerOwner = 20, int maxPerAddress = 100) =>
        CreateStoreAsync(new SessionsOptions { IdleTimeout = idle ?? TimeSpan.FromMinutes(60), MaxPerOwner = maxPerOwner, MaxPerClientAddress = maxPerAddress });

    protected static LnbitsSettings SampleSettings() => new()
    {
        BaseUrl = new Uri("http://127.0.0.1:5000/"),
        AuthMethod = LnbitsAuthMethod.OAuth2,
        ApiKey = new Secret("apikey-0123456789abcdef"),
        BearerToken = new Secret("token-0123456789abcdef"),
        Username = "alice",
        Password = new Secret("password-0123456789"),
        WalletId = "wallet-1",
        TimeoutSeconds = 12,
        KeyType = KeyType.Admin,
        WalletName = "Alice's wallet",
    };

    [Fact]
    public async Task ACreatedSessionIsFoundByTheKeyOfItsId()
    {
        var store = await StoreAsync();

        var created = await store.CreateAsync(new SessionCreation(null, "10.0.0.1"), default);
        var found = await store.FindAsync(SessionId.Key(created.SessionId), default);

        Assert.NotNull(found);
        Assert.Equal(created.Session.Key, found.Key);
        Assert.Null(found.Lnbits);
        Assert.Null(await store.FindAsync(SessionId.Key("some-other-id-that-was-never-issued"), default));
    }

    [Fact]
    public async Task SavedConfigurationAndSecretsComeBackUnchanged()
    {
        var store = await StoreAsync();
        var created = await store.CreateAsync(new SessionCreation("owner-key", null), default);

        Assert.True(await store.SaveAsync(created.Session with { Lnbits = SampleSettings() }, default));
        var found = (await store.FindAsync(created.Session.Key, default))!;

        Assert.Equal("owner-key", found.Owner);
        var settings = found.Lnbits!;
        var expected = SampleSettings();
        Assert.Equal(expected.BaseUrl, settings.BaseUrl);
        Assert.Equal(expected.AuthMethod, settings.AuthMethod);
        Assert.Equal(expected.ApiKey, settings.ApiKey);
        Assert.Equal(expected.BearerToken, settings.BearerToken);
        Assert.Equal(expected.Password, settings.Password);
        Assert.Equal(expected.Username, settings.Username);
        Assert.Equal(expected.WalletId, settings.WalletId);
        Assert.Equal(expected.TimeoutSeconds, settings.TimeoutSeconds);
        Assert.Equal(KeyType.Admin, settings.KeyType);
        Assert.Equal(expected.WalletName, settings.WalletName);
    }

    [Fact]
    public async Task LimitsAndPayeeRulesComeBackUnchanged()
    {
        var store = await StoreAsync();
        var created = await store.CreateAsync(new SessionCreation(null, "10.0.0.9"), default);
        var limits = new SessionLimits(500, 1_000, 3, 0, new Server.Payments.PayeeRules(["example.com"], ["https://api.example.com", "bob@example.com"]));

        Assert.True(await store.SaveAsync(created.Session with { Limits = limits }, default));
        var found = (await store.FindAsync(created.Session.Key, default))!.Limits;

        Assert.Equal((500L, 1_000L, 3, 0L), (found.MaxPaymentSats!.Value, found.DailyBudgetSats!.Value, found.MaxPaymentsPerHour!.Value, found.ConfirmAboveSats!.Value));
        Assert.Equal(["example.com"], found.Payees!.Allow!);
        Assert.Equal(["https://api.example.com", "bob@example.com"], found.Payees.Deny!);
    }

    [Fact]
    public async Task AnIdleSessionExpiresAndAUsedOneSlides()
    {
        var store = await StoreAsync(ShortIdle);
        var idle = await store.CreateAsync(new SessionCreation(null, null), default);
        var used = await store.CreateAsync(new SessionCreation(null, null), default);

        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.NotNull(await store.FindAsync(used.Session.Key, default));
        }

        Assert.Null(await store.FindAsync(idle.Session.Key, default));
        Assert.False(await store.SaveAsync(idle.Session with { Lnbits = SampleSettings() }, default));
    }

    [Fact]
    public async Task ASessionWithItsOwnIdleTimeoutOutlivesTheDefaultThroughReadsAndSaves()
    {
        var store = await StoreAsync(ShortIdle);
        var connection = await store.CreateAsync(new SessionCreation("owner-long", null, TimeSpan.FromHours(1)), default);
        var ordinary = await store.CreateAsync(new SessionCreation(null, null), default);
        Assert.True(await store.SaveAsync(connection.Session with { Lnbits = SampleSettings() }, default));

        await Task.Delay(ShortIdle + TimeSpan.FromSeconds(1));

        Assert.Null(await store.FindAsync(ordinary.Session.Key, default));
        var found = await store.FindAsync(connection.Session.Key, default);
        Assert.NotNull(found?.Lnbits);
        Assert.Equal(TimeSpan.FromHours(1), found.IdleTimeout);
    }

    [Fact]
    public async Task ATransportBindingLeadsToItsSessionAndExpiresWithIt()
    {
        var store = await StoreAsync(ShortIdle);
        var created = await store.CreateAsync(new SessionCreation(null, null), default);

        await store.BindTransportAsync("transport-abc", created.Session.Key, default);

        Assert.Equal(created.Session.Key, (await store.FindByTransportAsync("transport-abc", default))?.Key);
        Assert.Null(await store.FindByTransportAsync("transport-other", default));
        await Task.Delay(ShortIdle + TimeSpan.FromSeconds(1));
        Assert.Null(await store.FindByTransportAsync("transport-abc", default));
    }

    [Fact]
    public async Task SessionsPerOwnerAndPerClientAddressAreCapped()
    {
        var store = await StoreAsync(maxPerOwner: 2, maxPerAddress: 3);

        await store.CreateAsync(new SessionCreation("owner-a", "10.0.0.9"), default);
        await store.CreateAsync(new SessionCreation("owner-a", "10.0.0.9"), default);
        var ownerError = await Assert.ThrowsAsync<ToolException>(() => store.CreateAsync(new SessionCreation("owner-a", "10.0.0.8"), default));
        await store.CreateAsync(new SessionCreation("owner-b", "10.0.0.9"), default);
        var addressError = await Assert.ThrowsAsync<ToolException>(() => store.CreateAsync(new SessionCreation("owner-c", "10.0.0.9"), default));

        Assert.Equal(ToolErrorCodes.LimitExceeded, ownerError.Code);
        Assert.Contains("limit is 2", ownerError.Message, StringComparison.Ordinal);
        Assert.Equal(ToolErrorCodes.LimitExceeded, addressError.Code);
        Assert.Contains("client address", addressError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCountIsOfLiveSessions()
    {
        var store = await StoreAsync(ShortIdle);
        var before = await store.CountAsync(default);

        await store.CreateAsync(new SessionCreation(null, null), default);
        await store.CreateAsync(new SessionCreation(null, null), default);

        Assert.Equal(before + 2, await store.CountAsync(default));
        await Task.Delay(ShortIdle + TimeSpan.FromSeconds(1));
        Assert.Equal(0, await store.CountAsync(default));
    }

    [Fact]
    public async Task ConcurrentCreationsNeverPassTheCaps()
    {
        var store = await StoreAsync(maxPerOwner: 5, maxPerAddress: 8);

        var byOwner = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => TryCreateAsync(store, new SessionCreation("owner-crowd", $"10.2.0.{i}")))));
        var byAddress = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => TryCreateAsync(store, new SessionCreation($"owner-{i}", "10.3.0.1")))));

        Assert.Equal(5, byOwner.Count(created => created));
        Assert.Equal(8, byAddress.Count(created => created));
    }

    [Fact]
    public async Task ASessionKeptAliveByUseKeepsCountingAgainstTheCapsAndTheCount()
    {
        var store = await StoreAsync(ShortIdle, maxPerOwner: 1, maxPerAddress: 1);
        var before = await store.CountAsync(default);
        var used = await store.CreateAsync(new SessionCreation("owner-busy", "10.4.0.1"), default);

        // Used for three idle timeouts: its cap and count entries must live as long as it does.
        for (var i = 0; i < 12; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.NotNull(await store.FindAsync(used.Session.Key, default));
        }

        Assert.False(await TryCreateAsync(store, new SessionCreation("owner-busy", null)));
        Assert.False(await TryCreateAsync(store, new SessionCreation(null, "10.4.0.1")));
        Assert.Equal(before + 1, await store.CountAsync(default));
    }

    [Fact]
    public async Task AnExpiredSessionNoLongerCountsAgainstTheCaps()
    {
        var store = await StoreAsync(ShortIdle, maxPerOwner: 1, maxPerAddress: 1);
        await store.CreateAsync(new SessionCreation("owner-gone", "10.5.0.1"), default);
        Assert.False(await TryCreateAsync(store, new SessionCreation("owner-gone", null)));

        // Gone after the idle timeout; a store may keep counting it for up to a quarter more.
        await Task.Delay(ShortIdle * 1.25 + TimeSpan.FromSeconds(1));

        Assert.True(await TryCreateAsync(store, new SessionCreation("owner-gone", "10.5.0.1")));
    }

    private static async Task<bool> TryCreateAsync(ISessionStore store, SessionCreation request)
    {
        try
        {
            await store.CreateAsync(request, default);
            return true;
        }
        catch (ToolException error) when (error.Code == ToolErrorCodes.LimitExceeded)
        {
            return false;
        }
    }
}

public sealed class InProcessSessionStoreTests : SessionStoreContract
{
    protected override Task<ISessionStore> CreateStoreAsync(SessionsOptions options) =>
        Task.FromResult<ISessionStore>(new InProcessSessionStore(TimeProvider.System, Options.Create(options)));
}
