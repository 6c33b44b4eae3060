namespace DvdSim.Model.Tests;

/// <summary>Database names reach SQL as identifiers: anything but the plain rule is refused, naming the name and the rule.</summary>
public class DatabaseNameTests
{
    private const string Rule = "use 1–64 ASCII letters, digits or underscores, starting with a letter or underscore";

    [Theory]
    [InlineData("bad`name", "character '`' (U+0060) at position 4 is not allowed")]
    [InlineData("x'; DROP DATABASE mysql; --", "character ''' (U+0027) at position 2 is not allowed")]
    [InlineData("x\"y", "character '\"' (U+0022) at position 2 is not allowed")]
    [InlineData("a;b", "character ';' (U+003B) at position 2 is not allowed")]
    [InlineData("a b", "character ' ' (U+0020) at position 2 is not allowed")]
    [InlineData("..", "character '.' (U+002E) at position 1 is not allowed")]
    [InlineData("db.table", "character '.' (U+002E) at position 3 is not allowed")]
    [InlineData("../etc/passwd", "character '.' (U+002E) at position 1 is not allowed")]
    [InlineData("a/b", "character '/' (U+002F) at position 2 is not allowed")]
    [InlineData("a\\b", "character '\\' (U+005C) at position 2 is not allowed")]
    [InlineData("a\0b", "character '\\u0000' (U+0000) at position 2 is not allowed")]
    [InlineData("trailing_newline\n", "character '\\u000A' (U+000A) at position 17 is not allowed")]
    [InlineData("dvds\u0456m", "character 'і' (U+0456) at position 5 is not allowed")] // Cyrillic і
    [InlineData("\uFF44vd", "character 'ｄ' (U+FF44) at position 1 is not allowed")] // fullwidth d
    [InlineData("caf\u00E9", "character 'é' (U+00E9) at position 4 is not allowed")]
    [InlineData("zero\u200Bwidth", "character '\\u200B' (U+200B) at position 5 is not allowed")]
    [InlineData("9lives", "it starts with a digit")]
    [InlineData("", "it is empty")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "it is 65 characters long, at most 64 are allowed")]
    public void A_name_breaking_the_rule_is_refused_naming_it_and_the_rule(string name, string problem)
    {
        var message = DatabaseName.Problem(name);
        Assert.NotNull(message);
        Assert.StartsWith($"invalid database name '{UserText.Shown(name)}': {problem}", message);
        Assert.EndsWith(Rule, message);
        Assert.False(DatabaseName.IsValid(name));
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => DatabaseName.EnsureValid(name)).Message);
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("MySQL")]
    [InlineData("information_schema")]
    [InlineData("performance_schema")]
    [InlineData("sys")]
    public void A_system_database_is_refused_naming_it(string name)
    {
        Assert.StartsWith($"invalid database name '{name}': it is a system database of the server", DatabaseName.Problem(name));
        Assert.False(DatabaseName.IsValid(name));
    }

    [Fact]
    public void A_missing_name_is_refused()
    {
        Assert.StartsWith("invalid database name '': it is empty", DatabaseName.Problem(null));
        Assert.False(DatabaseName.IsValid(null));
    }

    [Fact]
    public void A_very_long_name_is_shown_cut()
    {
        var message = DatabaseName.Problem(new string('a', 1_000_000))!;
        Assert.Contains("… (1,000,000 characters)", message);
        Assert.True(message.Length < 400);
    }

    [Theory]
    [InlineData("standard_3y")]
    [InlineData("_x")]
    [InlineData("Z")]
    [InlineData("mysql_copy")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void A_plain_name_is_valid(string name)
    {
        Assert.Null(DatabaseName.Problem(name));
        Assert.Equal(name, DatabaseName.EnsureValid(name));
    }
}
