using DvdSim.Model.Scenarios;

namespace DvdSim.Model.Tests.Scenarios;

public class ScenarioLoaderTests
{
    [Fact]
    public void Every_preset_resolves_and_validates()
    {
        var expected = new[] { "aggressive-seasonality", "declining-business", "extended-10y", "five-year-2010", "flat",
            "high-growth-startup", "recent-2020-2023", "standard-3y" };
        Assert.All(expected, name => Assert.Contains(name, ScenarioLoader.Presets));
        foreach (var name in ScenarioLoader.Presets)
            Assert.Equal(name, ScenarioLoader.Resolve(name).Name);
    }

    [Fact]
    public void Default_is_three_years_from_2001_10_01()
    {
        var s = ScenarioLoader.Resolve(null);
        Assert.Equal("standard-3y", s.Name);
        Assert.Equal(new DateOnly(2001, 10, 1), s.StartDate);
        Assert.Equal(156, s.Weeks);
        Assert.Equal(12, s.StarterWeeks);
        Assert.Equal(500, s.Catalog.Films);
    }

    [Fact]
    public void Overrides_set_nested_keys_and_array_items()
    {
        var s = ScenarioLoader.Resolve("standard-3y", overrides: ["weeks=10", "demand.annual_growth=0.5", "demand.monthly_seasonality.6=3", "name=mine"]);
        Assert.Equal(10, s.Weeks);
        Assert.Equal(0.5, s.Demand.AnnualGrowth);
        Assert.Equal(3, s.Demand.MonthlySeasonality[6]);
        Assert.Equal("mine", s.Name);
    }

    [Theory]
    [InlineData("demand.anual_growth=0.2", "demand.anual_growth")]
    [InlineData("nonsense=1", "nonsense")]
    [InlineData("customers.loyal_share=1.5", "customers.loyal_share")]
    [InlineData("weeks=abc", "weeks")]
    [InlineData("demand.monthly_seasonality=[1,2]", "demand.monthly_seasonality")]
    [InlineData("returns.late_share=0.999", "returns.late_share")]
    public void A_bad_key_or_value_is_an_error_naming_the_key(string assignment, string key)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Resolve("standard-3y", overrides: [assignment]));
        Assert.Equal(key, e.Key);
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Unknown_key_in_a_file_is_named_with_a_suggestion()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Resolve(null, "demand:\n  base_weekly_rental: 10\n", "yaml"));
        Assert.Equal("demand.base_weekly_rental", e.Key);
        Assert.Contains("base_weekly_rentals", e.Message);
    }

    [Fact]
    public void Json_and_yaml_files_give_the_same_scenario()
    {
        var yaml = ScenarioLoader.Resolve(null, "name: x\nweeks: 20\nstores:\n  count: 3\n", "yaml");
        var json = ScenarioLoader.Resolve(null, """{"name":"x","weeks":20,"stores":{"count":3}}""", "json");
        Assert.Equal(ScenarioJson.Write(yaml), ScenarioJson.Write(json));
    }

    [Fact]
    public void Unknown_preset_lists_the_presets()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Resolve("standard-4y"));
        Assert.Contains("standard-3y", e.Message);
    }

    [Fact]
    public void Resolved_scenario_round_trips_through_json()
    {
        var s = ScenarioLoader.Resolve("recent-2020-2023");
        Assert.Equal(ScenarioJson.Write(s), ScenarioJson.Write(ScenarioJson.Read(ScenarioJson.Write(s))));
    }
}
