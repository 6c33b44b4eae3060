using DvdSim.Contracts;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Demand;

/// <summary>
/// How many rentals the shop should see: base × growth × season × forced shocks, spread over
/// the days of the week, with random spike days. Deterministic for (scenario, week, day).
/// </summary>
public sealed class DemandCurve(Scenario scenario)
{
    private readonly DemandSettings _demand = scenario.Demand;
    private readonly WeekClock _clock = WeekClock.For(scenario);

    public double Growth(int week) => Math.Pow(1 + _demand.AnnualGrowth, (week - 1) / 52.0);

    public double Seasonal(DateOnly day) => _demand.MonthlySeasonality[day.Month - 1];

    public double Shock(int week)
    {
        var multiplier = 1.0;
        foreach (var shock in _demand.Shocks)
            if (week >= shock.FromWeek && week <= shock.ToWeek) multiplier *= shock.Multiplier;
        return multiplier;
    }

    /// <summary>Day weights, Monday first, blending from the opening pattern to the established one.</summary>
    public double[] WeekdayWeights(int week)
    {
        var blend = _demand.WeekdayShiftWeeks <= 0 ? 1.0 : Math.Min(1.0, (week - 1) / (double)_demand.WeekdayShiftWeeks);
        var weights = new double[7];
        for (var d = 0; d < 7; d++)
            weights[d] = _demand.OpeningWeekdayWeights[d] * (1 - blend) + _demand.WeekdayWeights[d] * blend;
        return weights;
    }

    /// <summary>Expected rentals on one day of the week, before spikes.</summary>
    public double ExpectedOnDay(int week, int dayOfWeek, double businessMultiplier = 1.0)
    {
        var weights = WeekdayWeights(week);
        var day = _clock.Day(week, dayOfWeek);
        return _demand.BaseWeeklyRentals * Growth(week) * Seasonal(day) * Shock(week) * businessMultiplier
               * weights[dayOfWeek] / weights.Sum();
    }

    public bool IsSpikeDay(long seed, int week, int dayOfWeek) =>
        new KeyedRandom(seed, "spike-day", week, dayOfWeek).Chance(_demand.SpikeDayShare);

    /// <summary>The day's rental count: a Poisson draw around the expected value (×spike on spike days).</summary>
    public int RentalsOnDay(long seed, int week, int dayOfWeek, double businessMultiplier = 1.0)
    {
        var mean = ExpectedOnDay(week, dayOfWeek, businessMultiplier);
        if (IsSpikeDay(seed, week, dayOfWeek)) mean *= _demand.SpikeMultiplier;
        return new KeyedRandom(seed, "day-volume", week, dayOfWeek).Poisson(mean);
    }

    /// <summary>Expected rentals of the whole week, spikes included on average.</summary>
    public double ExpectedInWeek(int week, double businessMultiplier = 1.0)
    {
        var spikeFactor = 1 + _demand.SpikeDayShare * (_demand.SpikeMultiplier - 1);
        var total = 0.0;
        for (var d = 0; d < 7; d++) total += ExpectedOnDay(week, d, businessMultiplier);
        return total * spikeFactor;
    }
}
