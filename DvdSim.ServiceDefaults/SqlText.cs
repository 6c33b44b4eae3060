using System.Globalization;
using System.Text;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How a value is written as text for MariaDB, shared by SQL literals (<see cref="SqlBatch"/>) and
/// LOAD DATA rows (<see cref="TableWriter"/>): invariant culture, dates as yyyy-MM-dd HH:mm:ss,
/// booleans and enums as numbers. Strings are the caller's: the two formats escape differently.
/// </summary>
internal static class SqlText
{
    /// <summary>Appends a number, boolean or date (quoted as a literal when <paramref name="quoteDates"/>); false for anything else.</summary>
    /// <remarks>
    /// Formatted straight into the builder (a week's batch holds thousands of values), through each
    /// type's own TryFormat rather than an interpolated string: the interpolation handler's generic
    /// methods and the framework's date formatting are not in the services' ahead-of-time images
    /// and ran as unoptimized JIT code (2-3 % of the Transaction and Payment services).
    /// </remarks>
    public static bool TryAppendScalar(StringBuilder text, object value, bool quoteDates)
    {
        var c = CultureInfo.InvariantCulture;
        Span<char> buffer = stackalloc char[64]; // more than any of these types' longest text
        int n;
        bool written;
        switch (value)
        {
            case bool b: text.Append(b ? '1' : '0'); return true;
            case DateTime d: AppendDate(text, d, quoteDates); return true;
            case DateOnly d: AppendDate(text, d.ToDateTime(TimeOnly.MinValue), quoteDates, withTime: false); return true;
            case decimal m: written = m.TryFormat(buffer, out n, default, c); break;
            case double x: written = x.TryFormat(buffer, out n, "R", c); break;
            case float x: written = x.TryFormat(buffer, out n, "R", c); break;
            case int i: written = i.TryFormat(buffer, out n, default, c); break;
            case long l: written = l.TryFormat(buffer, out n, default, c); break;
            case short or byte or uint or ulong or ushort or sbyte: text.Append(((IFormattable)value).ToString(null, c)); return true;
            case Enum e: written = Convert.ToInt64(e, c).TryFormat(buffer, out n, default, c); break;
            default: return false;
        }
        if (!written) throw new InvalidOperationException($"a {value.GetType().Name} did not fit the SQL text buffer");
        text.Append(buffer[..n]);
        return true;
    }

    /// <summary>yyyy-MM-dd HH:mm:ss (or yyyy-MM-dd), optionally quoted.</summary>
    private static void AppendDate(StringBuilder text, DateTime d, bool quote, bool withTime = true)
    {
        Span<char> s = stackalloc char[21];
        var at = 0;
        if (quote) s[at++] = '\'';
        d.Deconstruct(out int year, out int month, out int day);
        Digits(s, ref at, year, 4);
        s[at++] = '-';
        Digits(s, ref at, month, 2);
        s[at++] = '-';
        Digits(s, ref at, day, 2);
        if (withTime)
        {
            s[at++] = ' ';
            Digits(s, ref at, d.Hour, 2);
            s[at++] = ':';
            Digits(s, ref at, d.Minute, 2);
            s[at++] = ':';
            Digits(s, ref at, d.Second, 2);
        }
        if (quote) s[at++] = '\'';
        text.Append(s[..at]);
    }

    private static void Digits(Span<char> s, ref int at, int value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            s[at + i] = (char)('0' + value % 10);
            value /= 10;
        }
        at += width;
    }
}
