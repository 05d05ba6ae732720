using System.Collections.Concurrent;
using LnbitsMcp.LnbitsSandbox.Api.Models;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>A node outside the sandbox with its own key. Its invoices (from <c>GET /sandbox/external-invoice</c>)
/// are the only external invoices the sandbox's funding source can route to; it knows their preimages.</summary>
internal sealed class OutsideNode(TimeProvider clock) : SandboxNode(clock)
{
    private readonly ConcurrentDictionary<string, string> _preimages = new(StringComparer.Ordinal);

    public ExternalInvoice CreateInvoice(long? amountSat, int expirySeconds, string? memo, DateTimeOffset? createdAt = null, string currency = "bcrt")
    {
        var issued = Issue(amountSat * 1000, memo ?? "Outside node invoice", null, expirySeconds, createdAt, currency);
        _preimages[issued.PaymentHash] = issued.Preimage;
        return new ExternalInvoice(issued.Bolt11, issued.PaymentHash);
    }

    public string? PreimageFor(string paymentHash) => _preimages.GetValueOrDefault(paymentHash);
}
