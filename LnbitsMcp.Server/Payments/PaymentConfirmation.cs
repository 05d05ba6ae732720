using System.Globalization;
using System.Text.Json;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Above the confirmation threshold a payment waits for a person (CONTRACT §9), through what the client can
/// do, and returns only when the payment may go ahead:
/// <list type="bullet">
/// <item>a repeat with <c>approval_id</c>: pays once when the person approved on the page;</item>
/// <item>a client with URL-mode elicitation (a session): <c>elicitation/create</c> to the page, then the call
/// waits for the decision;</item>
/// <item>a 2026-07-28 client (stateless): the same through a multi-round-trip request (URL mode, or a yes/no
/// form when it has only forms), its <c>requestState</c> sealed and used once;</item>
/// <item>a client with form elicitation only (a session): a yes/no form;</item>
/// <item>any other client (claude.ai, the REST route): <c>confirmation_required</c> with the page's URL, for the
/// model to show the person, and the <c>approval_id</c> to repeat the call with.</item>
/// </list>
/// No argument the model can send pays by itself: the one-time <c>confirmation_token</c> is honoured only with
/// <c>Payments:AllowTokenConfirmation</c>.
/// </summary>
public sealed class PaymentConfirmation(
    PaymentApprovals approvals,
    ApprovalRequestStates requestStates,
    IConfirmationTokens confirmationTokens,
    PaymentAudit audit,
    IOptions<PaymentOptions> options,
    TimeProvider time)
{
    /// <summary>The key of the approval's input request in a multi-round-trip request.</summary>
    public const string InputKey = "approval";

    private const string UrlMode = "url";
    private const string FormMode = "form";

    private PaymentOptions Options => options.Value;

    public async Task ConfirmAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, CancellationToken cancellationToken)
    {
        if (intent.AmountSatCeiling <= limits.ConfirmAboveSats)
        {
            return;
        }

        if (call.ApprovalId is { Length: > 0 } approvalId)
        {
            await RedeemAsync(call, intent, limits, approvalId, "approval_id", cancellationToken);
            return;
        }

        if (call.Request?.Params?.RequestState is { } requestState)
        {
            await ContinueRoundTripAsync(call, intent, limits, requestState, cancellationToken);
            return;
        }

        if (Options.AllowTokenConfirmation && call.ConfirmationToken is { Length: > 0 } token)
        {
            await RedeemTokenAsync(call, intent, token, cancellationToken);
            return;
        }

        // 2026-07-28 clients declare their capabilities on each request (the request-scoped server reports them).
        var elicitation = (call.Server.ClientCapabilities ?? call.Request?.JsonRpcRequest.Context?.ClientCapabilities)?.Elicitation;
        if (elicitation is not null && call.Server.IsMrtrSupported)
        {
            var mode = elicitation.Url is not null && approvals.HasPage ? UrlMode : FormMode;
            var issued = await approvals.IssueAsync(call, intent, limits, "mrtr_" + mode, cancellationToken);
            throw RoundTrip(call, intent, issued.Id, issued.ExpiresAt, mode);
        }
        else if (elicitation?.Url is not null && approvals.HasPage)
        {
            await ElicitUrlAsync(call, intent, limits, cancellationToken);
        }
        else if (elicitation is not null && (elicitation.Form is not null || elicitation.Url is null))
        {
            await ElicitFormAsync(call, intent, limits, cancellationToken);
        }
        else
        {
            var issued = await approvals.IssueAsync(call, intent, limits, "approval_url", cancellationToken);
            throw await RequiredAsync(call, intent, limits, issued.Id, issued.ExpiresAt, null, cancellationToken);
        }
    }

    /// <summary>The call repeats an approval: it goes ahead once when the person approved, and only for its own caller and payment.</summary>
    private async Task RedeemAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, string approvalId, string via, CancellationToken cancellationToken)
    {
        var change = PaymentApprovals.IsWellFormedId(approvalId)
            ? await approvals.Store.UseAsync(approvalId, call.Connection.LedgerKey, PaymentApprovals.SubjectHash(intent.Subject), time.GetUtcNow(), cancellationToken)
            : new ApprovalChange(null, false);
        if (change.Changed && change.Status is { } changed)
        {
            audit.Approval(call.Tool, call.SessionHint, PaymentApprovals.Outcome(changed), via, intent.AmountSatCeiling);
        }

        switch (change.Status)
        {
            case ApprovalStatus.Used when change.Changed:
                return;
            case ApprovalStatus.Pending:
                var pending = await approvals.Store.FindAsync(approvalId, cancellationToken);
                throw await RequiredAsync(call, intent, limits, approvalId, pending?.ExpiresAt ?? time.GetUtcNow(),
                    "The user has not approved or declined this payment yet.", cancellationToken);
            case ApprovalStatus.Used:
                audit.Refused(call, ToolErrorCodes.AlreadyPaid, intent.AmountMsat);
                throw new ToolException(ToolErrorCodes.AlreadyPaid,
                    "This approval was already used: an approved payment is made once. Check get_payments for its outcome; to pay again, call without approval_id and ask the user again.");
            case ApprovalStatus.Declined:
                throw Declined(call, intent, "The user declined this payment on the approval page. Nothing was paid.");
            case ApprovalStatus.Expired:
                throw Declined(call, intent, "Nobody approved this payment before its approval expired. Nothing was paid; call again without approval_id to ask the user again.");
            default:
                throw Declined(call, intent,
                    "No approval with this approval_id exists for this payment of this session (it never existed, it is for another payment or session, or it is long gone). Nothing was paid; call again without approval_id to ask the user.");
        }
    }

    /// <summary>A stateful client with URL-mode elicitation: the person decides on the page; the call waits for it.</summary>
    private async Task ElicitUrlAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var issued = await approvals.IssueAsync(call, intent, limits, "url_elicitation", cancellationToken);
        var elicitationId = PaymentApprovals.ElicitationId(issued.Id);
        ElicitResult answer;
        try
        {
            answer = await call.Server.ElicitAsync(new ElicitRequestParams
            {
                Mode = UrlMode,
                Url = issued.Url,
                ElicitationId = elicitationId,
                Message = PageMessage(intent),
            }, cancellationToken);
        }
        catch (McpException)
        {
            // The client announced URL elicitation but could not show it: the link still works.
            throw await RequiredAsync(call, intent, limits, issued.Id, issued.ExpiresAt, null, cancellationToken);
        }

        try
        {
            await FollowPageAsync(call, intent, limits, issued.Id, issued.ExpiresAt, answer, "url_elicitation", cancellationToken);
        }
        finally
        {
            if (answer.IsAccepted && !cancellationToken.IsCancellationRequested)
            {
                await CompleteElicitationAsync(call, elicitationId, cancellationToken);
            }
        }
    }

    /// <summary>Tells the client the page's interaction ended (decided or expired); best effort: the answer follows anyway.</summary>
    private static async Task CompleteElicitationAsync(PaymentCall call, string elicitationId, CancellationToken cancellationToken)
    {
        try
        {
            await call.Server.SendNotificationAsync(NotificationMethods.ElicitationCompleteNotification,
                new ElicitationCompleteNotificationParams { ElicitationId = elicitationId }, cancellationToken: cancellationToken);
        }
        catch (Exception error) when (error is McpException or IOException or InvalidOperationException)
        {
            // The client went away; the tool result says what happened.
        }
    }

    /// <summary>
    /// After the client answered a URL-mode elicitation: declined → declined; dismissed → the link (still
    /// pending) for the model to show; accepted (the person opened the page) → waits for the decision.
    /// </summary>
    private async Task FollowPageAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, string approvalId, DateTimeOffset expiresAt, ElicitResult answer, string via, CancellationToken cancellationToken)
    {
        if (answer.Action == "decline")
        {
            await DeclineAsync(call, intent, approvalId, via, cancellationToken);
        }

        if (!answer.IsAccepted)
        {
            throw await RequiredAsync(call, intent, limits, approvalId, expiresAt, "The approval page was not opened.", cancellationToken);
        }

        var decided = await approvals.WaitForDecisionAsync(approvalId, cancellationToken);
        if (decided != ApprovalStatus.Approved)
        {
            throw Declined(call, intent, decided == ApprovalStatus.Expired
                ? "Nobody approved this payment before its approval expired. Nothing was paid."
                : "The user declined this payment on the approval page. Nothing was paid.");
        }

        await RedeemAsync(call, intent, limits, approvalId, via, cancellationToken);
    }

    /// <summary>A stateful client with form elicitation only: a yes/no form in the client.</summary>
    private async Task ElicitFormAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var amountSat = intent.AmountSatCeiling;
        ElicitResult answer;
        try
        {
            answer = await call.Server.ElicitAsync(FormRequest(intent), cancellationToken);
        }
        catch (McpException)
        {
            var issued = await approvals.IssueAsync(call, intent, limits, "approval_url", cancellationToken);
            throw await RequiredAsync(call, intent, limits, issued.Id, issued.ExpiresAt, null, cancellationToken);
        }

        if (IsYes(answer))
        {
            audit.Record(call, "confirmed", amountSat);
            return;
        }

        audit.Record(call, "declined", amountSat);
        throw new ToolException(ToolErrorCodes.ConfirmationDeclined, "The user declined the payment. Nothing was paid.");
    }

    /// <summary>The first round of a multi-round-trip approval: the input request and its sealed state.</summary>
    private InputRequiredException RoundTrip(PaymentCall call, PaymentIntent intent, string approvalId, DateTimeOffset expiresAt, string mode)
    {
        var request = mode == UrlMode
            ? new ElicitRequestParams { Mode = UrlMode, Url = approvals.Url(approvalId), ElicitationId = PaymentApprovals.ElicitationId(approvalId), Message = PageMessage(intent) }
            : FormRequest(intent);
        return new InputRequiredException(
            new Dictionary<string, InputRequest> { [InputKey] = InputRequest.ForElicitation(request) },
            requestState: requestStates.Seal(call, intent, approvalId, mode, expiresAt));
    }

    /// <summary>The retry of a multi-round-trip approval: its state must be ours, for this call, unexpired and unused.</summary>
    private async Task ContinueRoundTripAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, string sealedState, CancellationToken cancellationToken)
    {
        var state = await requestStates.OpenAsync(sealedState, call, intent, cancellationToken);
        if (state is null)
        {
            audit.Refused(call, "request_state", intent.AmountMsat);
            throw ToolException.InvalidArgument(
                "The requestState of this retry is not one this server issued for this call, or it expired, or it was already used. Nothing was paid; call again to ask the user again.");
        }

        var via = "mrtr_" + state.Mode;
        var answer = call.Request?.Params?.InputResponses?.TryGetValue(InputKey, out var response) == true
            ? response.Deserialize(InputResponse.ElicitResultJsonTypeInfo)
            : null;
        if (answer is null)
        {
            // The client sent no answer: ask again (a new state; this one is used).
            throw RoundTrip(call, intent, state.ApprovalId, state.ExpiresAt, state.Mode);
        }

        if (state.Mode == UrlMode)
        {
            await FollowPageAsync(call, intent, limits, state.ApprovalId, state.ExpiresAt, answer, via, cancellationToken);
            return;
        }

        if (!IsYes(answer))
        {
            await DeclineAsync(call, intent, state.ApprovalId, via, cancellationToken);
        }

        if (await approvals.Store.FindAsync(state.ApprovalId, cancellationToken) is { } approval)
        {
            await approvals.DecideAsync(state.ApprovalId, approval, ApprovalStatus.Approved, via, cancellationToken);
        }

        await RedeemAsync(call, intent, limits, state.ApprovalId, via, cancellationToken);
    }

    private async Task RedeemTokenAsync(PaymentCall call, PaymentIntent intent, string token, CancellationToken cancellationToken)
    {
        if (await confirmationTokens.RedeemAsync(token, call.Connection.LedgerKey, intent.Subject, cancellationToken))
        {
            audit.Record(call, "confirmed_by_token", intent.AmountSatCeiling);
            return;
        }

        audit.Refused(call, ToolErrorCodes.ConfirmationRequired, intent.AmountMsat);
        throw new ToolException(ToolErrorCodes.ConfirmationRequired,
            "The confirmation_token is invalid, expired, already used, or for another payment. Call again without it to get a new one after the user confirms.");
    }

    /// <summary>The person declined: the approval is marked so (audited once) and the call answers <c>confirmation_declined</c>.</summary>
    private async Task DeclineAsync(PaymentCall call, PaymentIntent intent, string approvalId, string via, CancellationToken cancellationToken)
    {
        if (await approvals.Store.FindAsync(approvalId, cancellationToken) is { } approval)
        {
            await approvals.DecideAsync(approvalId, approval, ApprovalStatus.Declined, via, cancellationToken);
        }

        throw Declined(call, intent, "The user declined the payment. Nothing was paid.");
    }

    private ToolException Declined(PaymentCall call, PaymentIntent intent, string message)
    {
        audit.Record(call, "declined", intent.AmountSatCeiling);
        return new ToolException(ToolErrorCodes.ConfirmationDeclined, message);
    }

    /// <summary>
    /// <c>confirmation_required</c>: the page for the person, the <c>approval_id</c> to repeat the call with, and
    /// (only with <c>Payments:AllowTokenConfirmation</c>) a one-time confirmation token.
    /// </summary>
    private async Task<ToolException> RequiredAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, string approvalId, DateTimeOffset expiresAt, string? status, CancellationToken cancellationToken)
    {
        var amountSat = intent.AmountSatCeiling;
        var url = approvals.Url(approvalId);
        var details = new Dictionary<string, object?>
        {
            ["approval_url"] = url,
            ["approval_id"] = approvalId,
            ["expires_at"] = expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["amount_sat"] = amountSat,
            ["payee"] = intent.Payee,
            ["memo"] = intent.Memo,
        };
        var tokenText = string.Empty;
        if (Options.AllowTokenConfirmation)
        {
            details["confirmation_token"] = await confirmationTokens.IssueAsync(call.Connection.LedgerKey, intent.Subject, Options.ConfirmationTokenLifetime, cancellationToken);
            details["expires_in_seconds"] = (long)Options.ConfirmationTokenLifetime.TotalSeconds;
            tokenText = string.Create(CultureInfo.InvariantCulture,
                $" Or, only if the user agrees, call again with confirmation_token (valid {Options.ConfirmationTokenLifetime.TotalSeconds:F0} s, once).");
        }

        audit.Record(call, "confirmation_required", amountSat);
        var where = url is null
            ? "This server has no approval page here (no public URL): use a client that can ask the user (elicitation)."
            : $"Show the user this link to approve or decline it: {url}";
        return new ToolException(ToolErrorCodes.ConfirmationRequired,
            string.Create(CultureInfo.InvariantCulture,
                $"{(status is null ? string.Empty : status + " ")}Payments over {limits.ConfirmAboveSats} sats need the user's approval, which you cannot give: {amountSat} sats to {intent.Payee}{(string.IsNullOrWhiteSpace(intent.Memo) ? string.Empty : $" ({intent.Memo})")}. {where} After the user approved it, call {call.Tool} again with the same arguments and approval_id \"{approvalId}\" (until {details["expires_at"]}).{tokenText}"),
            details);
    }

    private static string PageMessage(PaymentIntent intent) => string.Create(CultureInfo.InvariantCulture,
        $"Approve or decline paying {intent.AmountSatCeiling} sats to {intent.Payee}{(string.IsNullOrWhiteSpace(intent.Memo) ? string.Empty : $" for \"{intent.Memo}\"")} on this page. This spends real money from your LNbits wallet.");

    private static ElicitRequestParams FormRequest(PaymentIntent intent)
    {
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Pay {intent.AmountSatCeiling} sats to {intent.Payee}{(string.IsNullOrWhiteSpace(intent.Memo) ? string.Empty : $" for \"{intent.Memo}\"")}? This spends real money from your LNbits wallet.");
        return new ElicitRequestParams
        {
            Message = message,
            RequestedSchema = new ElicitRequestParams.RequestSchema
            {
                Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                {
                    ["confirm"] = new ElicitRequestParams.BooleanSchema { Title = "Pay", Description = message, Default = false },
                },
                Required = ["confirm"],
            },
        };
    }

    private static bool IsYes(ElicitResult answer) =>
        answer.IsAccepted && answer.Content is { } content && content.TryGetValue("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.True;
}
