using System.Globalization;

namespace DvdSim.Model;

/// <summary>
/// The rule for every identifier that reaches SQL (run databases, tables, columns):
/// ASCII letters, digits and underscores, starting with a letter or underscore, at most 64
/// characters, and not a system database. Anything else (quotes, backticks, semicolons, spaces,
/// dots, slashes, NUL, look-alike letters from other scripts) is refused before any SQL is built.
/// </summary>
public static class DatabaseName
{
    public const int MaxLength = 64;

    private const string Rule = "use 1–64 ASCII letters, digits or underscores, starting with a letter or underscore";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
        { "mysql", "information_schema", "performance_schema", "sys" };

    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>What is wrong with <paramref name="name"/>, naming it and the rule it breaks, or null when it is valid.</summary>
    public static string? Problem(string? name)
    {
        var invalid = $"invalid database name '{UserText.Shown(name)}'";
        if (string.IsNullOrEmpty(name)) return $"{invalid}: it is empty; {Rule}";
        if (name.Length > MaxLength) return $"{invalid}: it is {name.Length:N0} characters long, at most {MaxLength} are allowed; {Rule}";
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (i > 0 && c is >= '0' and <= '9')) continue;
            var shown = string.Create(CultureInfo.InvariantCulture, $"'{UserText.Shown(c.ToString())}' (U+{(int)c:X4})");
            return i == 0 && c is >= '0' and <= '9'
                ? $"{invalid}: it starts with a digit; {Rule}"
                : $"{invalid}: character {shown} at position {i + 1} is not allowed; {Rule}";
        }
        return Reserved.Contains(name)
            ? $"{invalid}: it is a system database of the server ({string.Join(", ", Reserved)}); choose another name"
            : null;
    }

    public static string EnsureValid(string? name) =>
        Problem(name) is { } problem ? throw new ArgumentException(problem) : name!;
}
