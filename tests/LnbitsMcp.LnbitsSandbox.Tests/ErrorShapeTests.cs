using System.Diagnostics;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist item 10 and lnbits-api.md §2: every error is JSON in LNbits' shape; failure injection.</summary>
public sealed class ErrorShapeTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task BadFieldTypeAnswers400WithDetailAsAList()
    {
        var wallet = await Client.CreateWalletAsync("typed", 0).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments", new JsonObject { ["out"] = false, ["amount"] = "abc" }, wallet.InKey)
            .WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(
            "{\"detail\":[{\"loc\":[\"body\",\"amount\"],\"msg\":\"value is not a valid float\",\"type\":\"type_error.float\"}]}",
            response.Body!.ToJsonString());
    }

    [Fact]
    public async Task SeveralBadFieldsAreAllListed()
    {
        var wallet = await Client.CreateWalletAsync("typed-many", 0).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments",
            new JsonObject { ["out"] = "maybe", ["amount"] = -1, ["memo"] = new string('m', 641) }, wallet.InKey).WaitAsync(TestTimeout);

        var types = response.Object["detail"]!.AsArray().Select(i => i!["type"]!.GetValue<string>());
        Assert.Equal(["type_error.bool", "value_error.number.not_ge", "value_error.any_str.max_length"], types);
    }

    [Fact]
    public async Task InvalidJsonAnswers400WithAJsonDecodeEntry()
    {
        var wallet = await Client.CreateWalletAsync("broken-json", 0).WaitAsync(TestTimeout);

        var response = await Client.SendAsync(HttpMethod.Post, "/api/v1/payments", apiKey: wallet.InKey, rawBody: "{\"out\":")
            .WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        var issue = response.Object["detail"]!.AsArray().Single()!;
        Assert.Equal("json_invalid", issue["type"]!.GetValue<string>());
        Assert.Equal("body", issue["loc"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownRouteAnswers404NotFoundAsJson()
    {
        var response = await Client.GetAsync("/api/v1/nothing-here").WaitAsync(TestTimeout);

        Assert.Equal(404, response.Code);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("{\"detail\":\"Not Found\"}", response.Body!.ToJsonString());
    }

    [Fact]
    public async Task WrongMethodAnswers405AsJson()
    {
        var response = await Client.SendAsync(HttpMethod.Delete, "/api/v1/wallet").WaitAsync(TestTimeout);

        Assert.Equal(405, response.Code);
        Assert.Equal("Method Not Allowed", response.Detail);
    }

    [Fact]
    public async Task FailNextAnswers500UnexpectedErrorForThatManyRequests()
    {
        await Client.SettingsAsync(new JsonObject { ["fail_next"] = 2 }).WaitAsync(TestTimeout);

        var first = await Client.GetAsync("/api/v1/health").WaitAsync(TestTimeout);
        var second = await Client.GetAsync("/api/v1/health").WaitAsync(TestTimeout);
        var third = await Client.GetAsync("/api/v1/health").WaitAsync(TestTimeout);

        Assert.Equal(500, first.Code);
        Assert.Matches("^Unexpected error! ID: [0-9A-Za-z]{22}$", first.Detail);
        Assert.Equal(500, second.Code);
        Assert.Equal(200, third.Code);
    }

    [Fact]
    public async Task LatencyDelaysApiAnswersButNotSandboxControl()
    {
        await Client.SettingsAsync(new JsonObject { ["latency_ms"] = 600 }).WaitAsync(TestTimeout);

        var api = Stopwatch.StartNew();
        await Client.GetAsync("/api/v1/health").WaitAsync(TestTimeout);
        api.Stop();
        var control = Stopwatch.StartNew();
        await Client.GetAsync("/sandbox/settings").WaitAsync(TestTimeout);
        control.Stop();

        Assert.True(api.Elapsed >= TimeSpan.FromMilliseconds(550), $"api took {api.Elapsed}");
        Assert.True(control.Elapsed < TimeSpan.FromMilliseconds(500), $"control took {control.Elapsed}");
    }

    [Fact]
    public async Task HealthAnswers200()
    {
        var response = await Client.GetAsync("/api/v1/health").WaitAsync(TestTimeout);

        Assert.Equal(200, response.Code);
        Assert.True(response.Long("server_time") > 1_700_000_000);
    }
}
