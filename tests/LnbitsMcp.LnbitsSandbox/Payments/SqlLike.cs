using System.Text;
using System.Text.RegularExpressions;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>SQLite's <c>LIKE</c> as LNbits' filters use it: <c>%</c> any run of characters, <c>_</c> one character,
/// no escape character, ASCII case-insensitive.</summary>
internal static class SqlLike
{
    public static bool Matches(string? text, string pattern)
    {
        if (text is null)
        {
            return false;
        }

        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        regex.Append('$');
        return Regex.IsMatch(text, regex.ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
    }
}
