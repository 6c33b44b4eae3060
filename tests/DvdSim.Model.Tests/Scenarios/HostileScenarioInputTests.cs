using System.Diagnostics;
using System.Text;
using DvdSim.Model.Scenarios;

namespace DvdSim.Model.Tests.Scenarios;

/// <summary>
/// Hostile scenario input (docs/hostile-input.md): every case is a <see cref="ScenarioException"/>
/// naming the key at fault, quickly — never a crash, a stack overflow or a hang.
/// </summary>
public class HostileScenarioInputTests
{
    [Theory]
    // Huge, negative and non-finite numbers
    [InlineData("weeks=1e30", "weeks", "expects a whole number from -2,147,483,648 to 2,147,483,647, not 1e30")]
    [InlineData("weeks=99999999999999999999", "weeks", "not 99999999999999999999")]
    [InlineData("weeks=10000", "weeks", "must be between 1 and 5200")]
    [InlineData("weeks=-1", "weeks", "must be between 1 and 5200")]
    [InlineData("weeks=2.5", "weeks", "expects a whole number")]
    [InlineData("starter_weeks=-2147483648", "starter_weeks", "must be between 0 and 520")]
    [InlineData("catalog.films=2147483647", "catalog.films", "must be between 1 and 1,000,000")]
    [InlineData("catalog.films=-5", "catalog.films", "must be between 1 and 1,000,000")]
    [InlineData("stores.count=1000000", "stores.count", "must be between 1 and 250")]
    [InlineData("customers.initial=2147483647", "customers.initial", "must be between 1 and 10,000,000")]
    [InlineData("demand.base_weekly_rentals=1e300", "demand.base_weekly_rentals", "must be between 0 and 10,000,000")]
    [InlineData("demand.base_weekly_rentals=1e400", "demand.base_weekly_rentals", "expects a finite number, not 1e400")]
    [InlineData("demand.annual_growth=NaN", "demand.annual_growth", "expects a finite number, not 'NaN'")]
    [InlineData("demand.annual_growth=Infinity", "demand.annual_growth", "expects a finite number, not 'Infinity'")]
    [InlineData("demand.annual_growth=-Infinity", "demand.annual_growth", "expects a finite number, not '-Infinity'")]
    [InlineData("fees.late_fee_per_day=1e40", "fees.late_fee_per_day", "expects a number of at most 28 digits")]
    [InlineData("seed=99999999999999999999", "seed", "expects a whole number from -9,223,372,036,854,775,808")]
    // Injection attempts: a value is data of the key's type, never SQL
    [InlineData("seed=1; DROP DATABASE x", "seed", "not '1; DROP DATABASE x'")]
    [InlineData("start_date=2001-01-01' OR 1=1 --", "start_date", "expects a date written yyyy-mm-dd")]
    [InlineData("weeks=52 OR 1=1", "weeks", "not '52 OR 1=1'")]
    [InlineData("name=a\u001b[31mred", "name", "must not contain control characters")]
    [InlineData("name=x\0y", "name", "must not contain control characters")]
    // Dates out of range
    [InlineData("start_date=0001-01-01", "start_date", "must be between 1900 and 2200")]
    [InlineData("start_date=9999-12-31", "start_date", "must be between 1900 and 2200")]
    [InlineData("start_date=10000-01-01", "start_date", "expects a date written yyyy-mm-dd")]
    [InlineData("start_date=2001-02-30", "start_date", "not '2001-02-30'")]
    // Wrong types
    [InlineData("weeks=abc", "weeks", "expects a whole number")]
    [InlineData("stores.count=\"3\"", "stores.count", "expects a whole number from -2,147,483,648 to 2,147,483,647, not '3'")]
    [InlineData("stores=[1,2]", "stores", "expects a mapping of keys, not a list")]
    [InlineData("stores=3", "stores", "expects a mapping of keys, not 3")]
    [InlineData("stores=null", "stores", "must not be null")]
    [InlineData("demand.monthly_seasonality={\"a\":1}", "demand.monthly_seasonality", "expects a list, not a mapping")]
    [InlineData("demand.monthly_seasonality=\"x\"", "demand.monthly_seasonality", "expects a list, not 'x'")]
    [InlineData("demand.monthly_seasonality=[1,2]", "demand.monthly_seasonality", "needs 12 values")]
    [InlineData("demand.monthly_seasonality.3=[1]", "demand.monthly_seasonality.3", "expects a finite number, not a list")]
    [InlineData("catalog.sakila_rate_tiers=1", "catalog.sakila_rate_tiers", "expects true or false, not 1")]
    [InlineData("stores={\"count\":3,\"colour\":\"red\"}", "stores.colour", "unknown key")]
    [InlineData("demand.shocks=[{\"from_week\":1,\"to_week\":2,\"multiplier\":2,\"bogus\":1}]", "demand.shocks.0.bogus", "unknown key")]
    [InlineData("demand.shocks=[null]", "demand.shocks.0", "must not be null")]
    [InlineData("phases=[1]", "phases.0", "expects a mapping of keys, not 1")]
    // Unknown keys, bad paths, indexes out of range
    [InlineData("nonsense.deep=1", "nonsense", "unknown key")]
    [InlineData("demand.anual_growth=0.2", "demand.anual_growth", "did you mean 'annual_growth'?")]
    [InlineData("demand.monthly_seasonality.12=1", "demand.monthly_seasonality.12", "index out of range (0..11)")]
    [InlineData("demand.monthly_seasonality.-1=1", "demand.monthly_seasonality.-1", "index out of range (0..11)")]
    [InlineData("demand.monthly_seasonality.99999999999=1", "demand.monthly_seasonality.99999999999", "index out of range")]
    [InlineData("demand.shocks.0.multiplier=2", "demand.shocks.0", "the list is empty")]
    [InlineData("weeks.x=1", "weeks.x", "has no sub-keys")]
    [InlineData("demand..annual_growth=1", "demand..annual_growth", "has an empty part")]
    [InlineData("weeks", "weeks", "an override must look like key=value")]
    [InlineData("=5", "=5", "an override must look like key=value")]
    public void A_hostile_override_is_refused_naming_the_key(string assignment, string key, string message) =>
        AssertRefused(() => ScenarioLoader.Resolve("standard-3y", overrides: [assignment]), key, message);

    [Theory]
    // Each key is in range, their product is not (run limits in ScenarioValidator)
    [InlineData("demand", "rentals on a day of week", "demand.base_weekly_rentals=10000000", "demand.spike_multiplier=100")]
    [InlineData("demand", "rentals on a day of week", "weeks=5200", "demand.annual_growth=10")]
    [InlineData("demand", "rentals over 5,212 weeks: at most 1,000,000,000", "weeks=5200", "demand.base_weekly_rentals=1000000", "demand.annual_growth=0")]
    [InlineData("customers", "customers over 168 weeks: at most 20,000,000", "customers.new_per_week=1000000")]
    [InlineData("releases.films_per_week", "films: at most 2,000,000", "weeks=5200", "demand.annual_growth=0", "releases.films_per_week=10000")]
    [InlineData("inventory", "copies: at most 20,000,000", "catalog.films=1000000", "stores.count=250")]
    [InlineData("inventory", "copies: at most 20,000,000", "inventory.rules.0.every_weeks=1", "inventory.rules.0.quantity=10000000")]
    public void Keys_in_range_whose_product_is_too_large_are_refused_naming_the_limit(string key, string message, params string[] overrides) =>
        AssertRefused(() => ScenarioLoader.Resolve("standard-3y", overrides: overrides), key, message);

    [Theory]
    [InlineData("json", """{"weeks": 1e30}""", "weeks", "expects a whole number")]
    [InlineData("json", """{"weeks": -7}""", "weeks", "must be between 1 and 5200")]
    [InlineData("json", """{"weeks": "abc"}""", "weeks", "not 'abc'")]
    [InlineData("json", """{"weeks": 10, "weeks": 20}""", "scenario", "Duplicate property 'weeks'")]
    [InlineData("json", """{"stores": {"count": 2, "count": 3}}""", "scenario", "Duplicate property 'count'")]
    [InlineData("json", """[1, 2]""", "scenario", "must hold a mapping of keys")]
    [InlineData("json", """null""", "scenario", "must hold a mapping of keys")]
    [InlineData("json", "\"text\"", "scenario", "must hold a mapping of keys")]
    [InlineData("json", "{\"weeks\": 10 // a comment\n}", "scenario", "the json does not parse")]
    [InlineData("json", """{"weeks": 10,}""", "scenario", "the json does not parse")]
    [InlineData("json", """{"stores": [1]}""", "stores", "expects a mapping of keys, not a list")]
    [InlineData("json", """{"stores": null}""", "stores", "must not be null")]
    [InlineData("json", """{"demand": {"monthly_seasonality": {"a": 1}}}""", "demand.monthly_seasonality", "expects a list, not a mapping")]
    [InlineData("json", """{"phases": [{"name": "x", "from_week": 1, "to_week": 2, "colour": "red"}]}""", "phases.0.colour", "unknown key")]
    [InlineData("json", """{"name": "x", "weeks": 10, "hack": "'; DROP TABLE rental; --"}""", "hack", "unknown key")]
    [InlineData("yaml", "weeks: 1\nweeks: 2\n", "weeks", "is given twice")]
    [InlineData("yaml", "stores:\n  count: 2\n  count: 3\n", "stores.count", "is given twice")]
    [InlineData("yaml", "? [a, b]\n: 1\n", "scenario", "a key must be a plain name")]
    [InlineData("yaml", "weeks: .nan\n", "weeks", "not '.nan'")]
    [InlineData("yaml", "demand:\n  annual_growth: .inf\n", "demand.annual_growth", "expects a finite number")]
    [InlineData("yaml", "weeks: 1e30\n", "weeks", "expects a whole number from -2,147,483,648 to 2,147,483,647")]
    [InlineData("yaml", "weeks: 99999999999999999999\n", "weeks", "not 99999999999999999999")]
    [InlineData("yaml", "weeks: [1, 2]\n", "weeks", "expects a whole number from -2,147,483,648 to 2,147,483,647, not a list")]
    [InlineData("yaml", "stores: [1]\n", "stores", "expects a mapping of keys, not a list")]
    [InlineData("yaml", "stores:\n", "stores", "must not be null")]
    [InlineData("yaml", "- weeks\n- 3\n", "scenario", "must hold a mapping of keys")]
    [InlineData("yaml", "weeks: 10\n---\nweeks: 20\n", "scenario", "more than one document")]
    [InlineData("yaml", "weeks: [1,\n", "scenario", "the yaml does not parse at line")]
    [InlineData("yaml", "base: &b {count: 3}\nstores: *b\n", "stores", "yaml aliases (*b) are not supported")]
    [InlineData("yaml", "stores:\n  <<: *base\n", "stores.<<", "yaml aliases (*base) are not supported")]
    [InlineData("yaml", "name: !!python/object/apply:os.system [\"ls\"]\n", "name", "expects a text, not a list")]
    [InlineData("yaml", "start_date: 0001-01-01\n", "start_date", "must be between 1900 and 2200")]
    [InlineData("yaml", "start_date: 2001-01-01' OR 1=1 --\n", "start_date", "expects a date written yyyy-mm-dd")]
    public void A_hostile_file_is_refused_naming_the_key(string format, string text, string key, string message) =>
        AssertRefused(() => ScenarioLoader.Resolve(null, text, format), key, message);

    // Inputs too large to write inline: built here, by name.
    private static readonly Dictionary<string, (string Format, Func<string> Text, string Key, string Message)> Generated = new()
    {
        ["json: 10,000 nested arrays"] = ("json", () => "{\"name\": " + new string('[', 10_000) + new string(']', 10_000) + "}",
            "scenario", "The maximum configured depth of 64 has been exceeded"),
        ["json: 10,000 nested objects"] = ("json", () => Repeat("{\"a\":", 10_000) + "1" + new string('}', 10_000),
            "scenario", "The maximum configured depth of 64 has been exceeded"),
        ["yaml: 10,000 nested sequences"] = ("yaml", () => "name: " + new string('[', 10_000) + new string(']', 10_000) + "\n",
            "name", "nested deeper than 64 levels"),
        ["yaml: 100,000 nested mappings"] = ("yaml", () => "name: " + Repeat("{a: ", 100_000) + "1" + new string('}', 100_000) + "\n",
            "name", "nested deeper than 64 levels"),
        ["yaml: billion laughs"] = ("yaml", BillionLaughs, "description.0", "yaml aliases (*a) are not supported"),
        ["json: 2 MiB of text"] = ("json", () => "{\"description\": \"" + new string('x', 2 * 1024 * 1024) + "\"}",
            "scenario", "at most 1,048,576 are allowed"),
        ["json: a 100,000-character key"] = ("json", () => "{\"" + new string('k', 100_000) + "\": 1}", new string('k', 100_000), "unknown key (known keys: name,"),
        ["yaml: a 100,000-character key"] = ("yaml", () => new string('k', 100_000) + ": 1\n", "scenario", "the yaml does not parse at line 1"),
        ["yaml: 1,001 shocks"] = ("yaml", () => "demand:\n  shocks:\n" + Repeat("    - {from_week: 1, to_week: 2, multiplier: 1}\n", 1001),
            "demand.shocks", "has 1,001 items, at most 1,000 are allowed"),
        ["yaml: a 65-character name"] = ("yaml", () => "name: " + new string('n', 65) + "\n", "name", "is 65 characters long, at most 64"),
        ["yaml: a 65-character purchase reason"] = ("yaml", () => "inventory:\n  schedule:\n    - {week: 3, quantity: 5, reason: " + new string('r', 65) + "}\n",
            "inventory.schedule.0.reason", "at most 64"),
    };

    public static TheoryData<string> GeneratedCases => new(Generated.Keys);

    [Theory]
    [MemberData(nameof(GeneratedCases))]
    public void A_large_or_deep_file_is_refused_quickly_naming_the_key(string name)
    {
        var (format, text, key, message) = Generated[name];
        var input = text();
        var clock = Stopwatch.StartNew();
        AssertRefused(() => ScenarioLoader.Resolve(null, input, format), key, message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{name} took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        // 4 GiB, sparse: reading it whole would take minutes or run out of memory.
        var path = Path.Combine(Path.GetTempPath(), $"dvdsim-huge-{Guid.NewGuid():N}.json");
        try
        {
            using (var file = File.Create(path)) file.SetLength(4L * 1024 * 1024 * 1024);
            var clock = Stopwatch.StartNew();
            AssertRefused(() => ScenarioLoader.FromFile(path), "scenario", "is 4,294,967,296 bytes, at most 1,048,576 are allowed");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("scenario.txt", "must be .json, .yaml or .yml, not '.txt'")]
    [InlineData("no-such-file.yaml", "no preset or file named")]
    public void A_file_of_the_wrong_kind_or_missing_is_named(string name, string message)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dvdsim-{Guid.NewGuid():N}-{name}");
        if (name.EndsWith(".txt")) File.WriteAllText(path, "weeks: 3\n");
        try
        {
            var e = AssertRefused(() => ScenarioLoader.FromFile(path), "scenario", message);
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_yaml_anchor_without_an_alias_is_harmless()
    {
        var s = ScenarioLoader.Resolve(null, "weeks: &w 20\n", "yaml");
        Assert.Equal(20, s.Weeks);
    }

    [Fact]
    public void An_override_object_merges_into_the_key_instead_of_resetting_its_siblings()
    {
        var s = ScenarioLoader.Resolve("high-growth-startup", overrides: ["stores={\"count\":4}"]);
        var preset = ScenarioLoader.Resolve("high-growth-startup");
        Assert.Equal(4, s.Stores.Count);
        Assert.Equal(preset.Stores with { Count = 4 }, s.Stores);
    }

    [Fact]
    public void Every_preset_is_within_the_run_limits()
    {
        foreach (var name in ScenarioLoader.Presets)
            ScenarioValidator.Validate(ScenarioLoader.Resolve(name) with { Weeks = 520 });
    }

    private static ScenarioException AssertRefused(Action resolve, string key, string message)
    {
        var e = Assert.Throws<ScenarioException>(resolve);
        Assert.Equal(key, e.Key);
        Assert.StartsWith($"scenario key '{UserText.Shown(key)}': ", e.Message);
        Assert.Contains(message, e.Message);
        return e;
    }

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();

    // Nine levels of nine aliases: 9^9 = 387 million "lol"s if expanded.
    private static string BillionLaughs()
    {
        var yaml = new StringBuilder("seed: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        var keys = new[] { "description", "name", "weeks", "starter_weeks", "catalog", "stores", "demand", "customers" };
        var previous = 'a';
        foreach (var key in keys)
        {
            var next = (char)(previous + 1);
            yaml.Append($"{key}: &{next} [{string.Join(", ", Enumerable.Repeat("*" + previous, 9))}]\n");
            previous = next;
        }
        return yaml.ToString();
    }
}
