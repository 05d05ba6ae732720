using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Json;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary>JSON results with the source-generated type information.</summary>
internal static class ApiResults
{
    public static IResult Json(JsonObject body, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(body, SandboxJson.Api.JsonObject, statusCode: statusCode);

    public static IResult Payment(PaymentView payment, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(payment, SandboxJson.Api.PaymentView, statusCode: statusCode);

    public static IResult Detail(string detail, int statusCode) => Json(new JsonObject { ["detail"] = detail }, statusCode);
}
