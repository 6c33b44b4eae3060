using System.Globalization;
using DvdSim.Contracts;
using DvdSim.Model.Scenarios;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>
/// A named benchmark: a scenario preset with overrides, and the strategy the services run it
/// with — "bulk" (DvdSim as it is) or "naive" (the old tool's per-rental way, for comparison).
/// </summary>
internal sealed record Workload(string Name, string Description, string Preset, IReadOnlyList<string> Overrides,
    string Strategy = Workload.Bulk, int? DefaultWeeks = null)
{
    public const string Bulk = "bulk", Naive = "naive";

    /// <summary>Every workload runs into its own database, dropped first if it exists.</summary>
    public string Database => "bench_" + Name.Replace('-', '_');
}

/// <summary>A workload as selected on the command line, with the cap on its main weeks (if any).</summary>
internal sealed record WorkloadPlan(Workload Workload, int? WeeksCap)
{
    public string Name => Workload.Name;

    /// <summary>The overrides sent with the run: the workload's, then the weeks cap.</summary>
    public IReadOnlyList<string> Overrides => WeeksCap is { } weeks
        ? [.. Workload.Overrides, "weeks=" + weeks.ToString(CultureInfo.InvariantCulture)]
        : Workload.Overrides;

    public Scenario Resolve() => ScenarioLoader.Resolve(Workload.Preset, overrides: Overrides);
}

internal static class Workloads
{
    public const string Reference = "reference";
    public const string Scale = "scale";

    /// <summary>
    /// 100× the default business: 100× the rentals, customers and sign-ups; 10 × 10 more stores ×
    /// films (so 100× the copies on the shelves), 10× the releases and 100× the restocks. Over the
    /// ten years of extended-10y that is about 30 million rentals.
    /// </summary>
    public static readonly IReadOnlyList<string> ScaleOverrides =
    [
        "demand.base_weekly_rentals=22000",
        "customers.initial=15000",
        "customers.new_per_week=800",
        "stores.count=20",
        "catalog.films=5000",
        "releases.films_per_week=10",
        "inventory.rules.0.quantity=1600",
    ];

    public static readonly IReadOnlyList<Workload> All =
    [
        new("standard-3y", "the default business, 3 years (156 + 12 starter weeks)", "standard-3y", []),
        new("extended-10y", "the default business, 10 years (520 + 12 starter weeks)", "extended-10y", []),
        new("advanced-10y", "10 years of phases, segments, receivables and damage", "advanced-10y", []),
        new(Scale, "extended-10y at 100x the volume (tens of millions of rentals over 10 years)", "extended-10y", ScaleOverrides),
        new(Reference, "standard-3y with the old tool's per-rental strategy (NOT IN availability, a payment lookup per rental); a few weeks, then extrapolated",
            "standard-3y", [], Workload.Naive, DefaultWeeks: 16),
    ];

    /// <summary>What runs without --workload: everything but the long scale workload.</summary>
    public static readonly IReadOnlyList<string> DefaultSelection = ["standard-3y", "extended-10y", "advanced-10y", Reference];

    /// <summary>
    /// "NAME" or "NAME:WEEKS". <paramref name="weeksCap"/> (--weeks) caps every workload's main weeks;
    /// NAME:WEEKS wins over it, and the reference workload keeps its own few weeks unless NAME:WEEKS says otherwise.
    /// </summary>
    public static WorkloadPlan Parse(string spec, int? weeksCap)
    {
        var colon = spec.IndexOf(':');
        var name = colon < 0 ? spec : spec[..colon];
        var workload = All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown workload '{name}' (workloads: {string.Join(", ", All.Select(w => w.Name))})");
        int? weeks = workload.DefaultWeeks is { } own ? Math.Min(own, weeksCap ?? own) : weeksCap;
        if (colon >= 0)
        {
            if (!int.TryParse(spec[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var explicitWeeks) || explicitWeeks < 1)
                throw new ArgumentException($"workload '{spec}': the weeks after ':' must be a whole number of at least 1");
            weeks = explicitWeeks;
        }
        // A cap longer than the scenario is no cap.
        var full = ScenarioLoader.Resolve(workload.Preset, overrides: workload.Overrides).Weeks;
        return new WorkloadPlan(workload, weeks is { } w && w < full ? w : null);
    }
}
