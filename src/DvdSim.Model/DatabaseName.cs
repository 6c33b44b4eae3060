using System.Text.RegularExpressions;

namespace DvdSim.Model;

/// <summary>
/// The rule for every identifier that reaches SQL (run databases, tables, columns):
/// letters, digits and underscores, starting with a letter or underscore, at most 64 characters.
/// </summary>
public static partial class DatabaseName
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex Identifier();

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
        { "mysql", "information_schema", "performance_schema", "sys" };

    public static bool IsValid(string? name) => name is not null && Identifier().IsMatch(name) && !Reserved.Contains(name);

    /// <summary>What is wrong with <paramref name="name"/>, or null when it is valid.</summary>
    public static string? Problem(string? name) =>
        name is null || !Identifier().IsMatch(name)
            ? $"invalid database name '{name}': use 1–64 letters, digits or underscores, starting with a letter or underscore"
            : Reserved.Contains(name) ? $"invalid database name '{name}': it is a system database"
            : null;

    public static string EnsureValid(string? name) =>
        Problem(name) is { } problem ? throw new ArgumentException(problem) : name!;
}
