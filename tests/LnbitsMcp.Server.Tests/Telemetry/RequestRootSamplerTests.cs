using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>
/// Which spans start a trace: every request (a server span) except the health probes, which ASP.NET Core
/// shows the sampler by the request span's <c>url.path</c> tag; below a span, its parent's decision.
/// </summary>
public sealed class RequestRootSamplerTests
{
    private readonly RequestRootSampler _sampler = new();

    [Theory]
    [InlineData("/mcp")]
    [InlineData("/sse")]
    [InlineData("/healthy")]
    [InlineData("/aliveness")]
    [InlineData("/connect/health")]
    public void ARequestIsRecordedWhateverItsPath(string path) =>
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(ActivityKind.Server, ("url.path", path)));

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/health/ready")]
    [InlineData("/HEALTH")]
    public void AHealthProbeIsNotRecorded(string path) =>
        Assert.Equal(SamplingDecision.Drop, Decide(ActivityKind.Server, ("http.request.method", "GET"), ("url.path", path)));

    [Fact]
    public void AnotherServerSpanIsRecordedWithoutReadingItsTags() =>
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(ActivityKind.Server, "tools/call decode_invoice", default, ("url.path", "/health")));

    [Fact]
    public void ARequestWithoutTagsIsRecorded() =>
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(ActivityKind.Server));

    [Fact]
    public void WorkNobodyAskedForIsOnlyKeptInMemory() =>
        Assert.Equal(SamplingDecision.RecordOnly, Decide(ActivityKind.Internal, ("url.path", "/mcp")));

    [Fact]
    public void ASpanBelowARecordedSpanIsRecorded()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(ActivityKind.Client, parent));
    }

    [Fact]
    public void ASpanBelowAnUnrecordedSpanIsDropped()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        Assert.Equal(SamplingDecision.Drop, Decide(ActivityKind.Client, parent));
    }

    /// <summary>A span named as ASP.NET Core names its request span.</summary>
    private SamplingDecision Decide(ActivityKind kind, params (string Name, object? Value)[] tags) =>
        Decide(kind, default, tags);

    private SamplingDecision Decide(ActivityKind kind, ActivityContext parent, params (string Name, object? Value)[] tags) =>
        Decide(kind, "Microsoft.AspNetCore.Hosting.HttpRequestIn", parent, tags);

    private SamplingDecision Decide(ActivityKind kind, string name, ActivityContext parent, params (string Name, object? Value)[] tags) =>
        _sampler.ShouldSample(new SamplingParameters(
            parent, ActivityTraceId.CreateRandom(), name, kind,
            tags.Length == 0 ? null : tags.Select(t => KeyValuePair.Create(t.Name, t.Value)))).Decision;
}
