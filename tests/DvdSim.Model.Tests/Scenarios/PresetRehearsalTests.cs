using DvdSim.Model.Scenarios;

namespace DvdSim.Model.Tests.Scenarios;

/// <summary>Every preset plays its full length in memory (what its run will write) with sane volumes.</summary>
public class PresetRehearsalTests
{
    public static TheoryData<string> Presets() => new(ScenarioLoader.Presets);

    [Theory]
    [MemberData(nameof(Presets))]
    public void Every_preset_runs_its_full_length(string preset)
    {
        var scenario = ScenarioLoader.Resolve(preset);
        var weeks = scenario.StarterWeeks + scenario.Weeks;
        var totals = Rehearsal.Run(scenario, weeks);
        Assert.Equal(weeks, totals.Weeks);
        Assert.True(totals.AverageRentalsPerWeek > 20, $"{preset}: {totals.AverageRentalsPerWeek} rentals a week");
        Assert.True(totals.Payments >= totals.Rentals);
        Assert.True(totals.ActiveCustomers > 0);
        Assert.True(totals.LastRental < WeekClock.For(scenario).WeekEnd(weeks));
    }

    [Fact]
    public void The_default_matches_the_reference_volumes()
    {
        // SIMULATION.md: 3 years ≈ 65,000 rentals, ≈ 1,200 active customers, ≈ 415 a week.
        var scenario = ScenarioLoader.Resolve(null);
        var totals = Rehearsal.Run(scenario, scenario.StarterWeeks + scenario.Weeks);
        Assert.InRange(totals.Rentals, 55_000, 80_000);
        Assert.InRange(totals.ActiveCustomers, 900, 1_500);
        Assert.InRange(totals.Rentals / (double)scenario.Weeks, 350, 500);
    }

    [Fact]
    public void The_pandemic_preset_shows_its_boom_and_slump()
    {
        var scenario = ScenarioLoader.Resolve("recent-2020-2023");
        var perWeek = new List<long>();
        long previous = 0;
        Rehearsal.Run(scenario, scenario.StarterWeeks + 80, (_, t) => { perWeek.Add(t.Rentals - previous); previous = t.Rentals; });
        double Mean(int from, int to) => perWeek.Skip(from - 1).Take(to - from + 1).Average();
        Assert.True(Mean(22, 33) > Mean(10, 21) * 1.3, "lockdown boom");
        Assert.True(Mean(40, 70) < Mean(22, 33) * 0.6, "streaming slump");
    }
}
