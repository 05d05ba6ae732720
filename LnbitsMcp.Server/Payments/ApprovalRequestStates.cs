using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// The <c>requestState</c> of a multi-round-trip payment approval (2026-07-28 clients): which approval, for
/// which caller, tool and payment, how it was asked (URL or form), until when, and a nonce. Sealed with
/// ASP.NET Core Data Protection (authenticated encryption; the key ring is shared through Redis, so any instance
/// opens what another sealed), so the client can neither read nor alter it; opened once: the nonce is marked
/// used in the shared store, so a replayed state is refused.
/// </summary>
public sealed class ApprovalRequestStates(IDataProtectionProvider dataProtection, IPaymentApprovalStore store, TimeProvider time)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LnbitsMcp.Payments.ApprovalRequestState.v1");

    public string Seal(PaymentCall call, PaymentIntent intent, string approvalId, string mode, DateTimeOffset expiresAt)
    {
        var state = new ApprovalRequestState
        {
            ApprovalId = approvalId,
            LedgerKey = call.Connection.LedgerKey,
            SubjectHash = PaymentApprovals.SubjectHash(intent.Subject),
            Tool = call.Tool,
            Mode = mode,
            Nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ExpiresAtMs = expiresAt.ToUnixTimeMilliseconds(),
        };
        return _protector.Protect(JsonSerializer.Serialize(state, ApprovalRequestStateJson.Default.ApprovalRequestState));
    }

    /// <summary>
    /// The state, when it is one this server sealed for this caller, tool and payment, unexpired and not used
    /// before (it is used now); otherwise null.
    /// </summary>
    public async Task<ApprovalRequestState?> OpenAsync(string sealedState, PaymentCall call, PaymentIntent intent, CancellationToken cancellationToken)
    {
        ApprovalRequestState? state;
        try
        {
            state = JsonSerializer.Deserialize(_protector.Unprotect(sealedState), ApprovalRequestStateJson.Default.ApprovalRequestState);
        }
        catch (Exception error) when (error is CryptographicException or FormatException or JsonException)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (state is null
            || state.LedgerKey != call.Connection.LedgerKey
            || state.Tool != call.Tool
            || state.SubjectHash != PaymentApprovals.SubjectHash(intent.Subject)
            || state.ExpiresAt <= now)
        {
            return null;
        }

        return await store.UseOnceAsync(state.Nonce, state.ExpiresAt - now + TimeSpan.FromMinutes(1), cancellationToken) ? state : null;
    }
}

public sealed record ApprovalRequestState
{
    [JsonPropertyName("a")] public required string ApprovalId { get; init; }
    [JsonPropertyName("l")] public required string LedgerKey { get; init; }
    [JsonPropertyName("s")] public required string SubjectHash { get; init; }
    [JsonPropertyName("t")] public required string Tool { get; init; }

    /// <summary><c>url</c> (the page) or <c>form</c> (a yes/no form in the client).</summary>
    [JsonPropertyName("m")] public required string Mode { get; init; }

    [JsonPropertyName("n")] public required string Nonce { get; init; }
    [JsonPropertyName("e")] public long ExpiresAtMs { get; init; }

    [JsonIgnore] public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtMs);
}

[JsonSerializable(typeof(ApprovalRequestState))]
public sealed partial class ApprovalRequestStateJson : JsonSerializerContext;
