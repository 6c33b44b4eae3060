using DvdSim.AppHost.Benchmarks;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Tests.Benchmarks;

/// <summary>
/// Whether memory levels off over a run (peak RSS per tenth of the weeks) and how much of a rising
/// per-week cost is the machine's own (the ceiling's cost per row as its tables grow).
/// </summary>
public class MemoryAndCeilingGrowthTests
{
    private sealed class NoResources : IResourceMonitor
    {
        public IReadOnlyList<ResourceSnapshot> Resources() => [];
        public IReadOnlyList<ConsoleLine> ConsoleLines(string resource, int max = 1000) => [];
        public event Action<ResourceSnapshot>? ResourceChanged { add { } remove { } }
        public event Action<ConsoleLine>? ConsoleLineWritten { add { } remove { } }
        public Task StartAsync(string resource, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task StopAsync(string resource, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task RestartAsync(string resource, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    [Fact]
    public async Task Samples_count_towards_the_week_under_way_and_a_range_of_weeks_reports_its_own_peaks()
    {
        await using var sampler = new ProcessSampler(new NoResources(), TimeSpan.FromHours(1));
        sampler.Record("payments", 100 * 1024);          // week 1 under way
        sampler.WeeksDone = 1;
        sampler.Record("payments", 300 * 1024);          // week 2
        sampler.Record("transactions", 50 * 1024);
        sampler.WeeksDone = 5;
        sampler.Record("payments", 200 * 1024);          // week 6

        Assert.Equal(100, sampler.PeakMbDuring(1, 1)["payments"]);
        Assert.Equal(300, sampler.PeakMbDuring(1, 5)["payments"]);
        Assert.Equal(50, sampler.PeakMbDuring(2, 2)["transactions"]);
        Assert.Equal(200, sampler.PeakMbDuring(3, 10)["payments"]);
        Assert.False(sampler.PeakMbDuring(3, 10).ContainsKey("transactions"));
        Assert.Empty(sampler.PeakMbDuring(7, 9));
    }

    [Fact]
    public void Memory_growth_is_the_last_tenth_s_peak_over_the_middle_tenth_s()
    {
        static DecileRow Tenth(int week, double payments, double? transactions = null) =>
            new DecileRow(week, week + 9, 500, 0.03, 60, 5, 30, 20, 2)
            {
                PeakRssMb = transactions is { } t
                    ? new Dictionary<string, double> { ["payments"] = payments, ["transactions"] = t }
                    : new Dictionary<string, double> { ["payments"] = payments },
            };
        var deciles = Enumerable.Range(0, 10).Select(i => Tenth(2 + 10 * i, payments: 100 + 10 * i, transactions: i == 9 ? 80 : null)).ToList();

        var growth = WorkloadRunner.MemoryGrowth(deciles);

        Assert.Equal(Math.Round(190 / 150.0, 2), growth["payments"]); // decile 5 (index 10 / 2) is the middle one
        Assert.False(growth.ContainsKey("transactions"));           // not sampled in the middle tenth
        Assert.Empty(WorkloadRunner.MemoryGrowth(deciles.Take(2).ToList()));
    }

    [Fact]
    public void The_ceiling_s_growth_is_the_cost_per_row_of_its_last_tenth_of_chunks_over_its_first()
    {
        // 20 chunks of 50,000 rows, each 10 % slower than the one before.
        var chunks = Enumerable.Range(0, 20).Select(i => (50_000L, 1.0 * Math.Pow(1.1, i))).ToList();
        var expected = (Math.Pow(1.1, 18) + Math.Pow(1.1, 19)) / (1 + 1.1);

        Assert.Equal(Math.Round(expected, 3), LoadCeiling.Growth(chunks));
        Assert.Null(LoadCeiling.Growth(chunks.Take(9).ToList()));
        // A short last chunk costs less in all but per row.
        Assert.Equal(1.0, LoadCeiling.Growth([.. Enumerable.Repeat((1000L, 1.0), 19), (500L, 0.5)]));
    }

    [Fact]
    public void The_markdown_shows_memory_per_tenth_and_the_ceiling_s_own_rise()
    {
        var deciles = Enumerable.Range(0, 10).Select(i => new DecileRow(2 + 10 * i, 11 + 10 * i, 500, 0.03, 60, 5, 30, 20, 2)
        {
            PeakRssMb = new Dictionary<string, double> { ["payments"] = 200 + i, ["messaging-epmd"] = 3 },
        }).ToList();
        var workload = new WorkloadResult
        {
            Workload = "scale", Strategy = "bulk", Weeks = 100, Rentals = 1_000_000, Payments = 1_300_000, Rows = 2_300_000, WallSeconds = 100,
            FirstDecileMsPer1kRentals = 50, MiddleDecileMsPer1kRentals = 60, LastDecileMsPer1kRentals = 80, PerRentalRatio = 1.6,
            Deciles = deciles, MemoryGrowth = WorkloadRunner.MemoryGrowth(deciles),
            Ceiling = new CeilingResult(1_000_000, 1_300_000, 20, 20, 57_500, false, 50_000) { RentalGrowth = 1.45, PaymentGrowth = 1.3 },
        };

        var md = MarkdownReport.Write(new BenchReport { Workloads = [workload] });

        Assert.Contains("| 2–11 | 500 | 200 |", md);             // epmd left out of the memory table
        Assert.Contains("| last / middle | | ×1.02 |", md);       // 209 / 205 (the sixth tenth is the middle one)
        Assert.Contains("×1.45 for rental and ×1.30 for payment", md);
        Assert.Contains("| 57,500 | ×1.45 | ×1.30 | 50,000 |", md);
    }
}
