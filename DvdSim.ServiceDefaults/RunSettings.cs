using System.Collections.Concurrent;
using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Scenarios;

namespace Microsoft.Extensions.Hosting;

/// <summary>A run's stored metadata (dvdsim_run), read once per run and cached.</summary>
public sealed record RunSettings(string Database, Scenario Scenario, int WeeksTarget, decimal LateFeePerDay);

public sealed class RunSettingsCache(RunDatabases databases)
{
    private readonly ConcurrentDictionary<string, RunSettings> _runs = new(StringComparer.Ordinal);

    public async Task<RunSettings> GetAsync(string database, CancellationToken cancellationToken = default)
    {
        if (_runs.TryGetValue(database, out var cached)) return cached;
        await using var connection = await databases.OpenAsync(database, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Json, int WeeksTarget, decimal LateFee)>(
            new CommandDefinition("SELECT scenario_json, weeks_target, late_fee_per_day FROM dvdsim_run WHERE run_key = 1",
                cancellationToken: cancellationToken));
        if (row.Json is null) throw new InvalidOperationException($"database '{database}' holds no DvdSim run");
        var settings = new RunSettings(database, ScenarioJson.Read(row.Json), row.WeeksTarget, row.LateFee);
        return _runs.GetOrAdd(database, settings);
    }

    /// <summary>Forget a run (its target changed, or it was recreated).</summary>
    public void Forget(string database) => _runs.TryRemove(database, out _);
}
