using System.Security.Cryptography;

namespace LnbitsMcp.LnbitsSandbox.Errors;

/// <summary>Short ids like Python's shortuuid (22 chars of a 57-letter alphabet).</summary>
internal static class ErrorIds
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 22);
}
