using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>The server's instruments on the <c>LnbitsMcp</c> meter and its activity source (CONTRACT §6).</summary>
public sealed class ServerMetrics : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(TelemetryNames.SourceName);

    private readonly Meter _meter;

    public ServerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(TelemetryNames.MeterName);
        ToolCalls = _meter.CreateCounter<long>("lnbits_mcp.tool.calls", unit: "{call}",
            description: "Tool calls by tool and outcome (ok or the error code).");
        ToolDuration = _meter.CreateHistogram<double>("lnbits_mcp.tool.duration", unit: "s",
            description: "Tool call duration by tool and outcome.");
        Payments = _meter.CreateCounter<long>("lnbits_mcp.payments", unit: "{payment}",
            description: "Payment attempts by tool and outcome (success, pending, failed, refused codes, dry_run, confirmed, declined).");
        PaymentSats = _meter.CreateCounter<long>("lnbits_mcp.payments.sats", unit: "sat",
            description: "Sats of payment attempts by tool and outcome.");
        PaymentApprovals = _meter.CreateCounter<long>("lnbits_mcp.payment.approvals", unit: "{approval}",
            description: "Payment approvals by tool, outcome (issued, approved, declined, expired, used) and channel (page, url_elicitation, mrtr_url, mrtr_form, clock, …).");
    }

    public Counter<long> ToolCalls { get; }

    public Histogram<double> ToolDuration { get; }

    public Counter<long> Payments { get; }

    public Counter<long> PaymentSats { get; }

    public Counter<long> PaymentApprovals { get; }

    /// <summary>Registers the live-session gauge, read from the session store's last known count.</summary>
    public void ObserveActiveSessions(Func<long> read) =>
        _meter.CreateObservableGauge("lnbits_mcp.sessions.active", read, unit: "{session}", description: "Live (unexpired) sessions.");

    public void Dispose() => _meter.Dispose();
}
