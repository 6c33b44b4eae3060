using System.Text.RegularExpressions;
using DvdSim.SchemaService.Storage;

namespace DvdSim.SchemaService.Tests;

/// <summary>What the service's SQL scripts declare, read from the scripts themselves.</summary>
public static partial class DeclaredSchema
{
    private static readonly string AllStatements =
        string.Join("\n", SchemaScripts.Files.SelectMany(SchemaScripts.Statements));

    public static IReadOnlyList<string> Tables { get; } = Names(CreateTable());
    public static IReadOnlyList<string> Views { get; } = Names(CreateView());
    public static int ForeignKeys { get; } = ForeignKey().Matches(AllStatements).Count;

    private static IReadOnlyList<string> Names(Regex regex) =>
        regex.Matches(AllStatements).Select(m => m.Groups[1].Value).Order().ToList();

    [GeneratedRegex(@"^CREATE TABLE (\w+)", RegexOptions.Multiline)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^CREATE (?:SQL SECURITY \w+ )?VIEW (\w+)", RegexOptions.Multiline)]
    private static partial Regex CreateView();

    [GeneratedRegex(@"\bFOREIGN KEY\b")]
    private static partial Regex ForeignKey();
}
