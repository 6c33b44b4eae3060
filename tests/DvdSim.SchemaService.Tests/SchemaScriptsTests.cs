using DvdSim.SchemaService.Storage;

namespace DvdSim.SchemaService.Tests;

public class SchemaScriptsTests
{
    [Fact]
    public void Split_separates_on_marker_lines_and_drops_comment_only_pieces()
    {
        var script = "-- header\n-- more header\n-- statement\nCREATE TABLE a (x INT)\n-- statement\n" +
                     "CREATE PROCEDURE p()\nBEGIN\n  -- a comment inside\n  SELECT 1;\n  SELECT 2;\nEND\n  -- statement  \n\n";
        var statements = SchemaScripts.Split(script);
        Assert.Equal(2, statements.Count);
        Assert.Equal("CREATE TABLE a (x INT)", statements[0]);
        Assert.StartsWith("CREATE PROCEDURE p()", statements[1]);
        Assert.EndsWith("END", statements[1]);
        Assert.Contains("SELECT 1;\n  SELECT 2;", statements[1]);
    }

    [Fact]
    public void The_embedded_scripts_hold_the_expected_statements()
    {
        var schema = SchemaScripts.Statements("sakila-schema.sql");
        var routines = SchemaScripts.Statements("sakila-routines.sql");
        var extensions = SchemaScripts.Statements("dvdsim-extensions.sql");

        Assert.Equal(16, schema.Count);
        Assert.All(schema, s => Assert.StartsWith("CREATE TABLE", s));
        Assert.Equal(8, extensions.Count);
        Assert.StartsWith("CREATE TABLE dvdsim_run", extensions[0]);
        // 7 views, 3 functions, 3 procedures, 3 triggers.
        Assert.Equal(16, routines.Count);
        Assert.All(schema.Concat(routines).Concat(extensions), s => Assert.DoesNotContain("DELIMITER", s));
        // The extensions first (dvdsim_run marks a preparation in progress), then Sakila; later files may follow.
        Assert.Equal(["dvdsim-extensions.sql", "sakila-schema.sql", "sakila-routines.sql"], SchemaScripts.Files.Take(3));
        Assert.All(SchemaScripts.Files, file => Assert.NotEmpty(SchemaScripts.Statements(file)));
    }

    [Fact]
    public void The_now_stamping_triggers_are_not_created()
    {
        var routines = string.Join("\n", SchemaScripts.Statements("sakila-routines.sql"));
        Assert.DoesNotContain("TRIGGER customer_create_date", routines);
        Assert.DoesNotContain("TRIGGER rental_date", routines);
        Assert.DoesNotContain("TRIGGER payment_date", routines);
        Assert.DoesNotContain("NOW()", routines);
    }
}
