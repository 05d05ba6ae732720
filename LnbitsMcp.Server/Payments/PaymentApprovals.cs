using System.Buffers.Text;
using System.Security.Cryptography;
using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Issues and follows pending approvals (CONTRACT §9): a new approval for one payment of one caller, its page
/// URL (<c>/approve/{id}</c>, absolute, on the public URL), and waiting until the person decided (bounded by the
/// expiry and the caller's cancellation). An approval id grants a decision on the page (for anonymous sessions
/// its URL is all it takes), so it is registered as a secret and kept out of telemetry while it lives.
/// </summary>
public sealed class PaymentApprovals(
    IPaymentApprovalStore store,
    WalletLedgerKeys walletKeys,
    PaymentAudit audit,
    PublicUrls urls,
    IHttpContextAccessor http,
    IOptions<PaymentOptions> options,
    TimeProvider time)
{
    public const string PagePath = "/approve";
    private const string IdPrefix = "ap_";
    private static readonly TimeSpan s_forgetAfterExpiry = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    public IPaymentApprovalStore Store => store;

    /// <summary>The storage id of an approval id (SHA-256): a store dump yields no usable approval.</summary>
    public static string StorageId(string id) => RedisKeys.Hashed("approval:" + id);

    /// <summary>The hash an approval keeps of its payment's subject.</summary>
    public static string SubjectHash(string subject) => RedisKeys.Hashed("payment:" + subject);

    /// <summary>When a decided or expired approval is forgotten (until then a repeat learns what became of it).</summary>
    public static DateTimeOffset ForgetAt(PaymentApproval approval) => approval.ExpiresAt + s_forgetAfterExpiry;

    /// <summary>True when the text could be an approval id we issued.</summary>
    public static bool IsWellFormedId(string? id) =>
        id is { Length: > 20 and <= 64 } && id.StartsWith(IdPrefix, StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>A new pending approval of <paramref name="intent"/> for this caller.</summary>
    public async Task<IssuedApproval> IssueAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, string via, CancellationToken cancellationToken)
    {
        var id = IdPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var now = time.GetUtcNow();
        var lifetime = options.Value.ApprovalLifetime;
        SecretRedactor.Register(id, lifetime + s_forgetAfterExpiry);
        var approval = new PaymentApproval
        {
            LedgerKey = call.Connection.LedgerKey,
            SubjectHash = SubjectHash(intent.Subject),
            Owner = call.Connection.Session?.Owner ?? call.Owner,
            SessionKey = call.Connection.Session?.Key,
            WalletKey = await walletKeys.ForAsync(call.Connection.Settings, cancellationToken),
            WalletName = call.Connection.Settings.WalletName,
            SessionHint = call.SessionHint,
            Tool = call.Tool,
            AmountMsat = intent.AmountMsat,
            Payee = intent.Payee,
            Memo = intent.Memo,
            Limits = limits,
            CreatedAtMs = now.ToUnixTimeMilliseconds(),
            ExpiresAtMs = (now + lifetime).ToUnixTimeMilliseconds(),
        };
        await store.CreateAsync(id, approval, cancellationToken);
        audit.Approval(approval, "issued", via);
        return new IssuedApproval(id, approval.ExpiresAt, Url(id));
    }

    /// <summary>True when approvals have a page a person can open (an HTTP request names the server, or <c>Auth:PublicUrl</c> does).</summary>
    public bool HasPage => http.HttpContext is not null || urls.Configured is not null;

    /// <summary>The elicitation id of an approval's URL-mode elicitation: derived from its id, revealing nothing of it.</summary>
    public static string ElicitationId(string id) => RedisKeys.Hashed("elicitation:" + id)[..32];

    /// <summary>The page's absolute URL, or null where there is no HTTP request to name the server (stdio without <c>Auth:PublicUrl</c>).</summary>
    public string? Url(string id) =>
        http.HttpContext?.Request is { } request ? urls.Absolute(request, $"{PagePath}/{id}")
        : urls.Configured is { } configured ? configured + $"{PagePath}/{id}"
        : null;

    /// <summary>
    /// Waits until the person decided, or the approval expired (then marked so, and audited once); returns the
    /// status. Throws <see cref="OperationCanceledException"/> when the caller gives up first (the approval then
    /// stays pending: its link still works).
    /// </summary>
    public async Task<ApprovalStatus> WaitForDecisionAsync(string id, CancellationToken callCancelled)
    {
        // The call also ends when the client drops its request: over Streamable HTTP a client that cancels closes
        // the POST, and the SDK keeps the handler running (for resumable streams); nobody would see the payment.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, http.HttpContext?.RequestAborted ?? CancellationToken.None);
        var cancellationToken = linked.Token;
        while (true)
        {
            var approval = await store.FindAsync(id, cancellationToken);
            if (approval is null)
            {
                return ApprovalStatus.Expired;
            }

            var now = time.GetUtcNow();
            if (approval.Status != ApprovalStatus.Pending || approval.ExpiresAt <= now)
            {
                return await SettleAsync(id, approval, now, cancellationToken);
            }

            var wait = approval.ExpiresAt - now;
            await Task.Delay(wait < s_poll ? wait : s_poll, time, cancellationToken);
        }
    }

    /// <summary>The status of an approval found at <paramref name="now"/>; a pending one past its expiry is marked expired (audited once).</summary>
    public async Task<ApprovalStatus> SettleAsync(string id, PaymentApproval approval, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (approval.Status != ApprovalStatus.Pending || approval.ExpiresAt > now)
        {
            return approval.Status;
        }

        return await DecideAsync(id, approval, ApprovalStatus.Expired, "clock", cancellationToken) ?? ApprovalStatus.Expired;
    }

    /// <summary>Records a decision (the person's, or the clock's) and audits it once; returns the approval's status afterwards.</summary>
    public async Task<ApprovalStatus?> DecideAsync(string id, PaymentApproval approval, ApprovalStatus decision, string via, CancellationToken cancellationToken)
    {
        var change = await store.DecideAsync(id, decision, time.GetUtcNow(), cancellationToken);
        if (change.Changed && change.Status is { } status)
        {
            audit.Approval(approval, Outcome(status), via);
        }

        return change.Status;
    }

    /// <summary>The audit outcome of a status an approval moved to.</summary>
    public static string Outcome(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Declined => "declined",
        ApprovalStatus.Expired => "expired",
        ApprovalStatus.Used => "used",
        _ => "pending",
    };
}

/// <summary>A new approval: its id (the caller's <c>approval_id</c>), when it expires, and its page (null without HTTP).</summary>
public sealed record IssuedApproval(string Id, DateTimeOffset ExpiresAt, string? Url);
