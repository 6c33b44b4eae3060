using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using DvdSim.AppHost.Benchmarks;
using DvdSim.Hosting;
using DvdSim.Model;
using DvdSim.Model.Scenarios;
using MySqlConnector;

namespace DvdSim.AppHost.Commands;

/// <summary>
/// Runs named workloads, each on a freshly started cluster, and writes bench.json and bench.md:
/// wall time, rentals/s and rows/s end to end, per-week cost at the start, middle and end, peak
/// memory per service, where the time went, the machine's LOAD DATA ceiling, and — with
/// --baseline — a comparison with an earlier bench.json (exit code 3 on a regression).
/// See docs/benchmarks.md.
/// </summary>
internal sealed class BenchCommand : AppHostCommand
{
    public const int RegressionExitCode = 3;

    public override string Name => "bench";
    public override string Summary => "run benchmark workloads and write bench.json + bench.md (docs/benchmarks.md)";
    public override IReadOnlyList<CommandOption> Options =>
    [
        new("--workload", "NAME[:WEEKS]", $"run this workload (repeatable): {string.Join(", ", Workloads.All.Select(w => w.Name))}; default: {string.Join(", ", Workloads.DefaultSelection)}. :WEEKS caps its main weeks"),
        new("--weeks", "N", "cap the main weeks of every workload (the reference workload runs 16 unless NAME:WEEKS)"),
        new("--out", "DIR", "where bench.json and bench.md are written (default: artifacts/bench)"),
        new("--baseline", "FILE", "an earlier bench.json to compare with; exit code 3 when a workload regressed"),
        new("--threshold", "PERCENT", "how much slower counts as a regression (default: 10)"),
        new("--ceiling-rows", "N", "load at most N rows when measuring the ceiling (default: as many as the workload wrote)"),
        new("--from", "FILE", "run nothing: write the report (and the --baseline comparison) again from an earlier bench.json"),
    ];

    public override async Task<int> RunAsync(CommandContext context)
    {
        int? weeksCap = context.Value("--weeks") is null ? null : context.Int("--weeks", 0);
        if (weeksCap is < 1) throw new UsageException("--weeks needs a number of at least 1");
        var specs = context.Values("--workload").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        List<WorkloadPlan> plans;
        try
        {
            plans = (specs.Count > 0 ? specs : Workloads.DefaultSelection).Select(s => Workloads.Parse(s, weeksCap)).ToList();
            foreach (var plan in plans) plan.Resolve();
        }
        catch (Exception e) when (e is ArgumentException or ScenarioException)
        {
            throw new UsageException("--workload: " + e.Message);
        }
        if (plans.Select(p => p.Name).Distinct().Count() != plans.Count) throw new UsageException("--workload: a workload is named twice");

        var threshold = Percent(context.Value("--threshold") ?? "10") / 100;
        long? ceilingRows = context.Value("--ceiling-rows") is null ? null : context.Int("--ceiling-rows", 0);
        if (ceilingRows is < 1) throw new UsageException("--ceiling-rows needs a number of at least 1");
        var (baseline, baselinePath) = ReadBaseline(context.Value("--baseline"));
        var outDir = Path.GetFullPath(context.Value("--out") ?? Path.Combine("artifacts", "bench"));

        if (context.Value("--from") is { } from)
        {
            var (saved, _) = ReadBaseline(from);
            var again = saved! with { Comparison = baseline is null ? null : Baseline.Compare(saved, baseline, baselinePath!, threshold) };
            await WriteAsync(context, again, outDir);
            return again.Comparison is { Regression: true } ? RegressionExitCode : 0;
        }

        var notes = new List<string>();
        if (context.Hosting is { DataDirectory: null, ExternalMySqlConnectionString: null, Ephemeral: false })
        {
            // Benchmarks start from empty servers; --data-dir keeps them (and the bench_* databases) instead.
            context.Hosting.Ephemeral = true;
            notes.Add("Each workload ran on a freshly started cluster with empty servers (ephemeral data directory).");
        }
        else notes.Add("Each workload ran on a freshly started cluster; its bench_* database was dropped and created anew.");
        notes.Add($"Load average at the start: {LoadAverage()} (machines are noisy: compare ratios within one bench, and runs on a quiet machine).");
        notes.Add("Services export traces, metrics and logs to the bench's own OTLP receiver in the AppHost (as they would to the Aspire dashboard, which the bench does not start).");

        var commit = Machine.Commit(Machine.RepoRoot()); // what was checked out when the bench began
        context.Out.WriteLine($"Benchmark: {string.Join(", ", plans.Select(p => p.Name + (p.WeeksCap is { } w ? $":{w}" : "")))}; report in {outDir}");
        var machine = Machine.Describe();
        var runner = new WorkloadRunner(context, ceilingRows);
        var results = new List<WorkloadResult>();
        var interrupted = false;
        foreach (var plan in plans)
        {
            try
            {
                results.Add(await runner.RunAsync(plan, machine));
            }
            catch (OperationCanceledException)
            {
                interrupted = true;
                notes.Add($"Interrupted during {plan.Name}: later workloads did not run.");
                break;
            }
            catch (Exception e) when (e is HostingException or CoordinatorException or HttpRequestException or MySqlException or TimeoutException
                                          or InvalidOperationException or JsonException or IOException)
            {
                context.Error.WriteLine($"{plan.Name} failed: {e.Message}");
                results.Add(new WorkloadResult { Workload = plan.Name, Strategy = plan.Workload.Strategy, Scenario = plan.Workload.Preset, Error = e.Message });
            }
        }
        notes.Add($"Load average at the end: {LoadAverage()}.");

        results = results.Select(r => r.Error is null && r.Strategy == Workload.Naive ? WithExtrapolation(r, results) : r).ToList();
        var report = new BenchReport
        {
            Commit = commit,
            Machine = runner.Machine ?? machine,
            Workloads = results,
            Notes = notes,
        };
        if (baseline is not null) report = report with { Comparison = Baseline.Compare(report, baseline, baselinePath!, threshold) };

        await WriteAsync(context, report, outDir);

        if (interrupted) return 130;
        if (results.Any(r => r.Error is not null)) return 1;
        return report.Comparison is { Regression: true } ? RegressionExitCode : 0;
    }

    /// <summary>
    /// The naive run covers a few weeks: estimate the whole scenario, and set it beside the bulk run
    /// of the same scenario in this bench when there is one.
    /// </summary>
    private static WorkloadResult WithExtrapolation(WorkloadResult naive, IReadOnlyList<WorkloadResult> all)
    {
        var workload = Workloads.All.First(w => w.Name == naive.Workload);
        var bulk = all.FirstOrDefault(r => r.Error is null && r.Strategy == Workload.Bulk && r.Scenario == workload.Preset &&
            Workloads.All.First(w => w.Name == r.Workload).Overrides.SequenceEqual(workload.Overrides));
        IReadOnlyList<(int Week, int Rentals)> fullWeeks;
        string source;
        if (bulk is { WeeksCap: null })
        {
            fullWeeks = bulk.WeekTimings.Select(w => (w.Week, w.Rentals)).ToList();
            source = $"rentals per week from the {bulk.Workload} run of this bench";
        }
        else
        {
            var scenario = ScenarioLoader.Resolve(workload.Preset, overrides: workload.Overrides);
            var weeks = new List<(int, int)>();
            var previous = 0L;
            Rehearsal.Run(scenario, scenario.StarterWeeks + scenario.Weeks, (week, totals) =>
            {
                weeks.Add((week, (int)(totals.Rentals - previous)));
                previous = totals.Rentals;
            });
            fullWeeks = weeks;
            source = "rentals per week from the in-memory model";
        }
        var extrapolation = NaiveExtrapolation.Build(naive, fullWeeks, source, bulk);
        return naive with
        {
            Extrapolation = extrapolation,
            Notes = [.. naive.Notes, $"only {extrapolation.MeasuredWeeks} weeks were simulated with the naive strategy; whole-scenario figures are extrapolated ({extrapolation.Method})."],
        };
    }

    private static async Task WriteAsync(CommandContext context, BenchReport report, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var markdown = MarkdownReport.Write(report);
        await File.WriteAllTextAsync(Path.Combine(outDir, "bench.json"), report.ToJson());
        await File.WriteAllTextAsync(Path.Combine(outDir, "bench.md"), markdown);
        context.Out.WriteLine();
        context.Out.WriteLine(markdown);
        context.Out.WriteLine($"Wrote {Path.Combine(outDir, "bench.json")} and {Path.Combine(outDir, "bench.md")}");
    }

    private static (BenchReport? Report, string? Path) ReadBaseline(string? path)
    {
        if (path is null) return (null, null);
        try
        {
            return (BenchReport.FromJson(File.ReadAllText(path)), Path.GetFullPath(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }

    private static double Percent(string text) =>
        double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and < 1000
            ? value
            : throw new UsageException($"--threshold needs a percentage such as 10, not '{text}'");

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }
}
