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
    public static bool TryAppendScalar(StringBuilder text, object value, bool quoteDates)
    {
        var c = CultureInfo.InvariantCulture;
        var quote = quoteDates ? "'" : "";
        // Formatted straight into the builder: a week's batch holds thousands of values.
        switch (value)
        {
            case bool b: text.Append(b ? '1' : '0'); break;
            case DateTime d: text.Append(c, $"{quote}{d:yyyy-MM-dd HH:mm:ss}{quote}"); break;
            case DateOnly d: text.Append(c, $"{quote}{d:yyyy-MM-dd}{quote}"); break;
            case decimal m: text.Append(c, $"{m}"); break;
            case double x: text.Append(c, $"{x:R}"); break;
            case float x: text.Append(c, $"{x:R}"); break;
            case int i: text.Append(c, $"{i}"); break;
            case long l: text.Append(c, $"{l}"); break;
            case short or byte or uint or ulong or ushort or sbyte: text.Append(((IFormattable)value).ToString(null, c)); break;
            case Enum e: text.Append(Convert.ToInt64(e, c)); break;
            default: return false;
        }
        return true;
    }
}
