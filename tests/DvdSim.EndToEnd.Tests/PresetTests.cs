using System.Net;
using System.Net.Http.Json;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Scenarios;
using DvdSim.Testing;

namespace DvdSim.EndToEnd.Tests;

/// <summary>Every preset runs through the whole cluster (a few weeks each) and writes what its model says.</summary>
[Collection(SimulatedRuns.Collection)]
public class PresetTests(SimulatedRuns runs)
{
    public static TheoryData<string> Presets() => new(ScenarioLoader.Presets);

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task Every_preset_runs_through_the_services(string preset)
    {
        // Start a few weeks before a restock week, so purchases, releases and returns all happen.
        var scenario = ScenarioLoader.Resolve(preset, overrides: ["starter_weeks=2", "weeks=12"]);
        var database = TestServers.CreateDatabaseName();
        var response = await runs.Coordinator.PostAsJsonAsync("/runs",
            new CreateRunRequest(database, Scenario: preset, Overrides: ["starter_weeks=2", "weeks=12"]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await runs.WaitAsync(database);

        var expected = Rehearsal.Run(scenario, 14);
        var actual = await runs.StatisticsAsync(database);
        Assert.True(actual.TotalRentals > 0);
        Assert.Equal(expected.Rentals, actual.TotalRentals);
        Assert.Equal(expected.Payments, actual.Payments);
        Assert.Equal(expected.Copies, actual.Inventory);
    }
}
