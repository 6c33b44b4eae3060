using System.Globalization;
using System.Text;

namespace DvdSim.Model;

/// <summary>
/// How text a user gave is shown back in an error: control and invisible characters escaped
/// (a NUL or a terminal escape sequence must not reach the console as is) and long text cut.
/// </summary>
public static class UserText
{
    public static string Shown(string? text, int maxLength = 80)
    {
        if (text is null) return "";
        var shown = new StringBuilder();
        foreach (var c in text.Length > maxLength ? text[..maxLength] : text)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                shown.Append(c);
        }
        if (text.Length > maxLength) shown.Append(CultureInfo.InvariantCulture, $"… ({text.Length:N0} characters)");
        return shown.ToString();
    }
}
