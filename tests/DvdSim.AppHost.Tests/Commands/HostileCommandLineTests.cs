using DvdSim.AppHost.Commands;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Tests.Commands;

[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    /// <summary>These tests swap Console.Out and Console.Error: nothing else may run beside them.</summary>
    public const string Collection = "console";
}

/// <summary>
/// Hostile command lines (docs/hostile-input.md): exit status 2 and an error naming the key,
/// option or name at fault — and no server started (declaring the cluster fails the test).
/// </summary>
[Collection(ConsoleCollection.Collection)]
public sealed class HostileCommandLineTests
{
    [Theory]
    [InlineData("scenario key 'weeks': expects a whole number", "simulate", "--dry-run", "--set", "weeks=1e30")]
    [InlineData("scenario key 'weeks': must be between 1 and 5200", "simulate", "--dry-run", "--set", "weeks=-3")]
    [InlineData("scenario key 'catalog.films': must be between 1 and 1,000,000", "simulate", "--dry-run", "--set", "catalog.films=2147483647")]
    [InlineData("scenario key 'demand.annual_growth': expects a finite number, not 'NaN'", "simulate", "--dry-run", "--set", "demand.annual_growth=NaN")]
    [InlineData("scenario key 'seed': expects a whole number", "simulate", "--dry-run", "--set", "seed=1; DROP DATABASE x")]
    [InlineData("scenario key 'start_date': expects a date written yyyy-mm-dd", "simulate", "--dry-run", "--set", "start_date=2001-01-01' OR 1=1 --")]
    [InlineData("scenario key 'start_date': must be between 1900 and 2200", "simulate", "--dry-run", "--set", "start_date=9999-12-31")]
    [InlineData("scenario key 'demand.monthly_seasonality.12': index out of range (0..11)", "simulate", "--dry-run", "--set", "demand.monthly_seasonality.12=1")]
    [InlineData("scenario key 'nonsense': unknown key", "simulate", "--dry-run", "--set", "nonsense.path=1")]
    [InlineData("scenario key 'stores': expects a mapping of keys, not a list", "simulate", "--dry-run", "--set", "stores=[1]")]
    [InlineData("scenario key 'inventory': opening stock", "simulate", "--dry-run", "--set", "catalog.films=1000000", "--set", "stores.count=250")]
    [InlineData("scenario key 'scenario': no preset or file named 'nope.yaml'", "simulate", "--dry-run", "--scenario", "nope.yaml")]
    [InlineData("--database: invalid database name 'x`; DROP DATABASE mysql': character '`' (U+0060) at position 2", "simulate", "--dry-run", "--database", "x`; DROP DATABASE mysql")]
    [InlineData("--database: invalid database name 'information_schema': it is a system database", "simulate", "--dry-run", "--database", "information_schema")]
    [InlineData("--database: invalid database name 'a\\u0000b': character '\\u0000' (U+0000)", "simulate", "--dry-run", "--database", "a\0b")]
    [InlineData("scenario key 'name' gives the database name: invalid database name 'x'; DROP': character ''' (U+0027)", "simulate", "--dry-run", "--set", "name=x'; DROP")]
    [InlineData("--weeks needs a whole number, not '1e30'", "simulate", "--dry-run", "--weeks", "1e30")]
    [InlineData("--seed needs a whole number, not '99999999999999999999'", "simulate", "--dry-run", "--seed", "99999999999999999999")]
    [InlineData("--database: invalid database name '../mysql'", "extend", "--database", "../mysql", "--weeks", "1")]
    [InlineData("--weeks needs a whole number, not '99999999999'", "extend", "--database", "ok", "--weeks", "99999999999")]
    [InlineData("extend needs --weeks N (at least 1)", "extend", "--database", "ok", "--weeks", "-5")]
    [InlineData("--database: invalid database name 'sys': it is a system database", "checksum", "--database", "sys")]
    [InlineData("unknown command 'drop'", "drop", "--database", "mysql")]
    public async Task A_hostile_command_line_exits_2_naming_what_is_wrong_without_starting_a_server(string error, params string[] args)
    {
        var (status, output, errors) = await RunAsync(args);
        Assert.Equal(2, status);
        Assert.StartsWith("error: " + error, errors);
        Assert.Contains("Run with --help", errors);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("deep.yaml", "scenario key 'name': nested deeper than 64 levels")]
    [InlineData("laughs.yaml", "scenario key 'description.0': yaml aliases (*a) are not supported")]
    [InlineData("huge.json", "scenario key 'scenario': file '{0}' is 2,097,152 bytes, at most 1,048,576 are allowed")]
    [InlineData("dupes.yaml", "scenario key 'weeks': is given twice")]
    public async Task A_hostile_scenario_file_exits_2_naming_the_key_or_the_file(string name, string error)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dvdsim-{Guid.NewGuid():N}-{name}");
        await File.WriteAllTextAsync(path, name switch
        {
            "deep.yaml" => "name: " + new string('[', 10_000) + new string(']', 10_000) + "\n",
            "laughs.yaml" => "seed: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\ndescription: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
            "huge.json" => new string(' ', 2 * 1024 * 1024),
            _ => "weeks: 10\nweeks: 20\n",
        });
        try
        {
            var (status, _, errors) = await RunAsync(["simulate", "--dry-run", "--scenario", path]);
            Assert.Equal(2, status);
            Assert.StartsWith("error: " + string.Format(error, path), errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_valid_override_passes_the_same_way_so_the_refusals_above_are_the_inputs_fault()
    {
        var (status, output, errors) = await RunAsync(["simulate", "--dry-run", "--database", "hostile_control",
            "--set", "weeks=1", "--set", "starter_weeks=0", "--set", "demand.annual_growth=0.5"]);
        Assert.Equal("", errors);
        Assert.Equal(0, status);
        Assert.Contains("# Resolved scenario for database hostile_control", output);
        Assert.Contains("\"annual_growth\": 0.5", output);
    }

    private static async Task<(int Status, string Output, string Errors)> RunAsync(string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            var status = await CommandLine.RunAsync(args, NoCluster);
            return (status, output.ToString(), errors.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    private static void NoCluster(Aspire.Hosting.IDistributedApplicationBuilder builder, ClusterData data) =>
        throw new InvalidOperationException("a hostile command line must not start a server");
}
