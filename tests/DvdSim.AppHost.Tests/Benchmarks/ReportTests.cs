using System.Text.Json;
using DvdSim.AppHost.Benchmarks;

namespace DvdSim.AppHost.Tests.Benchmarks;

public class ReportTests
{
    private static WorkloadResult Standard() => new()
    {
        Workload = "standard-3y", Scenario = "standard-3y", Strategy = "bulk", Weeks = 168, StarterWeeks = 12,
        Rentals = 60_000, Payments = 80_000, Rows = 140_000, WallSeconds = 70, RentalsPerSecond = 857.1, RowsPerSecond = 2000,
        CeilingRowsPerSecond = 100_000, CeilingFraction = 0.02,
        FirstDecileWeekSeconds = 0.3, MiddleDecileWeekSeconds = 0.4, LastDecileWeekSeconds = 0.5, WeekSecondsRatio = 1.667,
        FirstDecileMsPer1kRentals = 900, LastDecileMsPer1kRentals = 950, PerRentalRatio = 1.056,
        PeakRssMb = new Dictionary<string, double> { ["transactions"] = 210.4, ["payments"] = 180 },
        CpuSeconds = new Dictionary<string, double> { ["mysql"] = 80, ["transactions"] = 40 },
        Stages = new StageTotals(1000, 20_000, 15_000, 5000),
        TraceStages = [new TraceStage("transactions", "stage", 168, 20_000), new TraceStage("transactions", "sql", 900, 12_000)],
        Deciles = [new DecileRow(2, 18, 300, 0.3, 900, 5, 100, 90, 30)],
        Ceiling = new CeilingResult(60_000, 80_000, 0.6, 0.8, 100_000, false, 50_000),
    };

    [Fact]
    public void The_json_has_the_fields_the_issue_asks_for_in_snake_case()
    {
        var report = new BenchReport { Machine = new MachineFacts { Cores = 2, CpuModel = "AMD EPYC" }, Workloads = [Standard()] };

        using var doc = JsonDocument.Parse(report.ToJson());
        var workload = doc.RootElement.GetProperty("workloads")[0];
        foreach (var key in new[]
                 {
                     "workload", "weeks", "rentals", "payments", "wall_seconds", "rentals_per_second", "rows_per_second",
                     "ceiling_rows_per_second", "first_decile_week_seconds", "last_decile_week_seconds", "peak_rss_mb", "strategy",
                 })
            Assert.True(workload.TryGetProperty(key, out _), $"missing {key}");
        Assert.Equal(210.4, workload.GetProperty("peak_rss_mb").GetProperty("transactions").GetDouble());
        Assert.Equal("dvdsim-bench/1", doc.RootElement.GetProperty("schema").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.False(workload.TryGetProperty("week_timings", out _));
    }

    [Fact]
    public void A_report_reads_back_as_a_baseline()
    {
        var report = new BenchReport { Workloads = [Standard()], Notes = ["a note"] };

        var back = BenchReport.FromJson(report.ToJson());

        var workload = Assert.Single(back.Workloads);
        Assert.Equal(70, workload.WallSeconds);
        Assert.Equal(857.1, workload.RentalsPerSecond);
        Assert.Equal(180, workload.PeakRssMb["payments"]);
        Assert.Equal(80, workload.CpuSeconds["mysql"]);
        Assert.Equal(["a note"], back.Notes);
    }

    [Fact]
    public void The_markdown_shows_the_summary_the_stages_memory_and_the_comparison()
    {
        var report = new BenchReport
        {
            Machine = new MachineFacts { Cores = 2, CpuModel = "AMD EPYC", Mariadb = "10.11.6" },
            Workloads = [Standard(), new WorkloadResult { Workload = "scale", Strategy = "bulk", Error = "mysql went away" }],
            Comparison = new BaselineComparison
            {
                Baseline = "old/bench.json", Threshold = 0.1, Regression = true,
                Workloads = [new WorkloadComparison { Workload = "standard-3y", WallRatio = 1.2, Regression = true, Verdict = "REGRESSION: wall time +20 %" }],
            },
        };

        var md = MarkdownReport.Write(report);

        Assert.Contains("| standard-3y | bulk | 168 | 60,000 | 80,000 | 70.0 |", md);
        Assert.Contains("2.0 %", md);                       // of the ceiling
        Assert.Contains("| scale | bulk | FAILED: mysql went away", md);
        Assert.Contains("| standard-3y | transactions | 168 |", md);
        Assert.Contains("60 %", md);                        // SQL share of the transactions stage
        Assert.Contains("| standard-3y | 180 | 210 |", md); // peak RSS: payments, transactions
        Assert.Contains("| standard-3y | 80.0 | 40.0 | 120.0 | 86 % |", md); // CPU: mysql, transactions, total, busy of 2 cores × 70 s
        Assert.Contains("**REGRESSION: wall time +20 %**", md);
        Assert.Contains("exit code 3", md);
    }

    [Fact]
    public void The_reference_section_says_what_is_extrapolated()
    {
        var naive = Standard() with
        {
            Workload = "reference", Strategy = "naive", Weeks = 20,
            Extrapolation = new Extrapolation
            {
                Method = "extrapolated, not measured: …", MeasuredWeeks = 20, FullWeeks = 168, FullRentals = 60_000, WallSeconds = 1234,
                NaiveSecondsSameWeeks = 30, BulkSecondsSameWeeks = 3, SpeedupSameWeeks = 10, BulkWallSeconds = 70, SpeedupFullRun = 17.6,
                ComparedWith = "standard-3y",
            },
        };

        var md = MarkdownReport.Write(new BenchReport { Workloads = [Standard(), naive] });

        Assert.Contains("**1,234 s, extrapolated**", md);
        Assert.Contains("×10.0", md);
        Assert.Contains("×18", md);
    }
}
