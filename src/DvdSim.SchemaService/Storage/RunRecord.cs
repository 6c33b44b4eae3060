using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using MySqlConnector;

namespace DvdSim.SchemaService.Storage;

/// <summary>What a run database already holds, as far as preparing it is concerned.</summary>
public enum RunDatabaseState
{
    /// <summary>No tables: prepare from scratch.</summary>
    Empty,
    /// <summary>dvdsim_run exists without its row: a preparation stopped half-way; rebuild.</summary>
    Incomplete,
    /// <summary>dvdsim_run has its row: the run is prepared.</summary>
    Prepared,
    /// <summary>Tables, but no dvdsim_run: not a DvdSim database; leave it alone.</summary>
    Foreign,
}

/// <summary>The run's metadata row (dvdsim_run), written last in the preparation's transaction.</summary>
public static class RunRecord
{
    public const string DvdSimVersion = "0.1";

    public static async Task<(RunDatabaseState State, string? ScenarioJson)> InspectAsync(
        MySqlConnection server, string database, CancellationToken ct)
    {
        var tables = (await server.QueryAsync<string>(new CommandDefinition(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @database",
            new { database }, cancellationToken: ct))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (tables.Count == 0) return (RunDatabaseState.Empty, null);
        if (!tables.Contains("dvdsim_run")) return (RunDatabaseState.Foreign, null);

        // Count first: a preparation that stopped half-way may not even have dvdsim_run's columns right.
        var table = $"`{DatabaseName.EnsureValid(database)}`.dvdsim_run";
        if (await server.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table}", cancellationToken: ct)) == 0)
            return (RunDatabaseState.Incomplete, null);
        var json = await server.QuerySingleAsync<string>(new CommandDefinition(
            $"SELECT scenario_json FROM {table} WHERE run_key = 1", cancellationToken: ct));
        return (RunDatabaseState.Prepared, json);
    }

    public static Task InsertAsync(MySqlConnection connection, MySqlTransaction transaction, Scenario scenario,
        string scenarioJson, int weeksTarget, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO dvdsim_run (run_key, scenario_name, scenario_json, seed, opening_date, weeks_target,
                                    late_fee_per_day, dvdsim_version, created_at)
            VALUES (1, @name, @json, @seed, @opening, @weeksTarget, @lateFee, @version, @createdAt)
            """,
            new
            {
                name = scenario.Name,
                json = scenarioJson,
                seed = scenario.Seed,
                opening = WeekClock.For(scenario).OpeningDate.ToDateTime(TimeOnly.MinValue),
                weeksTarget,
                lateFee = scenario.Fees.LateFeePerDay,
                version = DvdSimVersion,
                // Metadata, not simulation: the wall clock is right here.
                createdAt = DateTime.UtcNow,
            },
            transaction, cancellationToken: ct));
}
