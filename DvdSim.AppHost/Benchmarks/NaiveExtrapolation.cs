using System.Globalization;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>
/// The naive strategy is too slow to run a whole scenario, so it runs a few weeks and the rest is
/// estimated: each week is modelled as t = rentals × (a + b × rentals already in the table) — a
/// fixed cost per rental plus one that grows with history, which is how a NOT IN availability
/// check behaves — fitted by least squares on the measured weeks (the first quarter, while the
/// services load the shop and warm up, left out), then applied to every week of the full
/// scenario with that week's rentals.
/// </summary>
internal static class NaiveExtrapolation
{
    public const double PerMillion = 1_000_000;

    /// <summary>a (seconds per rental) and b (seconds per rental per million rentals already written), b ≥ 0.</summary>
    public static (double A, double B) Fit(IReadOnlyList<WeekTiming> weeks)
    {
        var cumulative = 0L;
        var points = new List<(double Rentals, double History, double Seconds)>();
        var ordered = weeks.OrderBy(w => w.Week).ToList();
        var warmUp = WarmUpWeeks(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var week = ordered[i];
            if (i >= warmUp && week.Rentals > 0) points.Add((week.Rentals, cumulative / PerMillion, week.Seconds));
            cumulative += week.Rentals;
        }
        if (points.Count == 0) return (0, 0);
        double s11 = 0, s12 = 0, s22 = 0, t1 = 0, t2 = 0;
        foreach (var (r, c, t) in points)
        {
            var x1 = r;
            var x2 = r * c;
            s11 += x1 * x1; s12 += x1 * x2; s22 += x2 * x2; t1 += x1 * t; t2 += x2 * t;
        }
        var det = s11 * s22 - s12 * s12;
        if (det > 1e-12 * s11 * s22)
        {
            var a = (t1 * s22 - t2 * s12) / det;
            var b = (s11 * t2 - s12 * t1) / det;
            if (a >= 0 && b >= 0) return (a, b);
        }
        return (t1 / s11, 0);
    }

    /// <summary>Weeks left out of the fit: the first quarter (at least week 1), while the services warm up.</summary>
    public static int WarmUpWeeks(int measuredWeeks) => measuredWeeks <= 1 ? 0 : Math.Max(1, measuredWeeks / 4);

    /// <summary>Seconds the whole scenario's weeks would take at the fitted cost.</summary>
    public static double Predict((double A, double B) fit, IEnumerable<(int Week, int Rentals)> fullWeeks)
    {
        var seconds = 0.0;
        var cumulative = 0L;
        foreach (var (_, rentals) in fullWeeks.OrderBy(w => w.Week))
        {
            seconds += rentals * (fit.A + fit.B * cumulative / PerMillion);
            cumulative += rentals;
        }
        return seconds;
    }

    /// <summary>
    /// The reference workload's extrapolation, and its comparison with <paramref name="bulk"/> (the
    /// same scenario run by DvdSim in this bench, if any): over the weeks both ran, and over the whole run.
    /// </summary>
    public static Extrapolation Build(WorkloadResult naive, IReadOnlyList<(int Week, int Rentals)> fullWeeks, string fullWeeksSource,
        WorkloadResult? bulk)
    {
        var fit = Fit(naive.WeekTimings);
        var simulate = Predict(fit, fullWeeks);
        var wall = naive.PrepareSeconds + simulate;
        var fullRentals = fullWeeks.Sum(w => (long)w.Rentals);
        var measured = naive.WeekTimings.Count;
        var c = CultureInfo.InvariantCulture;
        double? bulkSame = bulk is null ? null : WeekTimings.SecondsThrough(bulk.WeekTimings, measured);
        var naiveSame = WeekTimings.SecondsThrough(naive.WeekTimings, measured);
        var bulkFull = bulk is { WeeksCap: null } ? bulk.WallSeconds : (double?)null;
        return new Extrapolation
        {
            Method = string.Create(c,
                $"extrapolated, not measured: week time = rentals x (a + b x rentals already written), least squares over weeks {WarmUpWeeks(measured) + 1}-{measured} of this run, applied to the {fullWeeks.Count} weeks of the full scenario ({fullWeeksSource}), plus this run's prepare time"),
            MeasuredWeeks = measured,
            FullWeeks = fullWeeks.Count,
            FullRentals = fullRentals,
            WallSeconds = Math.Round(wall, 1),
            RentalsPerSecond = wall > 0 ? Math.Round(fullRentals / wall, 1) : 0,
            MsPerRental = Math.Round(fit.A * 1000, 4),
            MsPerRentalPerMillionRows = Math.Round(fit.B * 1000, 4),
            ComparedWith = bulk?.Workload,
            BulkSecondsSameWeeks = bulkSame is { } b ? Math.Round(b, 2) : null,
            NaiveSecondsSameWeeks = naiveSame is { } n ? Math.Round(n, 2) : null,
            SpeedupSameWeeks = bulkSame is > 0 && naiveSame is { } ns ? Math.Round(ns / bulkSame.Value, 1) : null,
            BulkWallSeconds = bulkFull is { } bf ? Math.Round(bf, 1) : null,
            SpeedupFullRun = bulkFull is > 0 ? Math.Round(wall / bulkFull.Value, 1) : null,
        };
    }
}
