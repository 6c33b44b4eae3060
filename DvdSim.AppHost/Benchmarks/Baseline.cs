using System.Globalization;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>
/// Compares a bench run with an earlier bench.json, workload by workload (like pytest-benchmark's
/// --benchmark-compare): a REGRESSION when the wall time is more than <c>threshold</c> longer, or
/// rentals per second more than <c>threshold</c> lower. Wall times are compared only between runs
/// of the same length and strategy; rentals per second always.
/// </summary>
internal static class Baseline
{
    public static BaselineComparison Compare(BenchReport current, BenchReport baseline, string baselinePath, double threshold)
    {
        var rows = new List<WorkloadComparison>();
        foreach (var now in current.Workloads.Where(w => w.Error is null))
        {
            var before = baseline.Workloads.FirstOrDefault(w => w.Workload == now.Workload && w.Error is null);
            rows.Add(before is null
                ? new WorkloadComparison { Workload = now.Workload, WallSeconds = now.WallSeconds, RentalsPerSecond = now.RentalsPerSecond, Verdict = "new (not in the baseline)" }
                : Compare(now, before, threshold));
        }
        return new BaselineComparison
        {
            Baseline = baselinePath,
            BaselineCreatedAt = baseline.CreatedAt,
            Threshold = threshold,
            Regression = rows.Any(r => r.Regression),
            Workloads = rows,
        };
    }

    public static WorkloadComparison Compare(WorkloadResult now, WorkloadResult before, double threshold)
    {
        var sameRun = now.Weeks == before.Weeks && now.Strategy == before.Strategy;
        double? wallRatio = sameRun && before.WallSeconds > 0 ? now.WallSeconds / before.WallSeconds : null;
        double? rateRatio = before.RentalsPerSecond > 0 ? now.RentalsPerSecond / before.RentalsPerSecond : null;
        var reasons = new List<string>();
        var c = CultureInfo.InvariantCulture;
        if (wallRatio > 1 + threshold) reasons.Add(string.Create(c, $"wall time +{(wallRatio.Value - 1) * 100:0.#} %"));
        if (rateRatio < 1 - threshold) reasons.Add(string.Create(c, $"rentals/s -{(1 - rateRatio.Value) * 100:0.#} %"));
        string verdict;
        if (reasons.Count > 0) verdict = "REGRESSION: " + string.Join(", ", reasons);
        else if (wallRatio < 1 - threshold || rateRatio > 1 + threshold) verdict = "faster";
        else verdict = "same (within threshold)";
        if (!sameRun) verdict += string.Create(c, $"; wall time not compared ({before.Weeks} weeks {before.Strategy} then, {now.Weeks} weeks {now.Strategy} now)");
        return new WorkloadComparison
        {
            Workload = now.Workload,
            BaselineWallSeconds = before.WallSeconds,
            WallSeconds = now.WallSeconds,
            WallRatio = wallRatio is { } w ? Math.Round(w, 3) : null,
            BaselineRentalsPerSecond = before.RentalsPerSecond,
            RentalsPerSecond = now.RentalsPerSecond,
            RentalsPerSecondRatio = rateRatio is { } r ? Math.Round(r, 3) : null,
            Regression = reasons.Count > 0,
            Verdict = verdict,
        };
    }
}
