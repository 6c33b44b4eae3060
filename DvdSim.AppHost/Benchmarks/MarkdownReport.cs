using System.Globalization;
using System.Text;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>bench.md: the report for people, from the same figures as bench.json.</summary>
internal static class MarkdownReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>A per-rental week cost at the end within this factor of the start's counts as flat (the machines are noisy).</summary>
    public const double FlatLimit = 1.25;

    public static string Write(BenchReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        md.AppendLine(F($"# DvdSim benchmark, {report.CreatedAt:yyyy-MM-dd HH:mm} UTC"));
        md.AppendLine();
        md.AppendLine(F($"Machine: {m.Cores} cores ({m.CpuModel}), {m.MemoryGib:0.#} GiB, {m.Os}, {m.Dotnet}, MariaDB {m.Mariadb ?? "?"}, RabbitMQ {m.Rabbitmq ?? "?"}."));
        if (m.MariadbSettings is not null) md.AppendLine(F($"MariaDB settings: {m.MariadbSettings}."));
        if (report.Commit is not null) md.AppendLine(F($"Commit: {report.Commit} (the working tree may hold changes on top)."));
        md.AppendLine();

        var ok = report.Workloads.Where(w => w.Error is null).ToList();
        md.AppendLine("## Summary");
        md.AppendLine();
        md.AppendLine("Wall = POST /runs until the run completed (schema, base data and every week; cluster start-up not included). " +
                      "Rows = rental + payment rows. Ceiling = LOAD DATA of as many synthetic rows into copies of the same tables (same indexes and foreign keys).");
        md.AppendLine();
        md.AppendLine("| workload | strategy | weeks | rentals | payments | wall s | rentals/s | rows/s | ceiling rows/s | of ceiling | s/week first → last 10 % | ms/1k rentals first → last 10 % |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var w in ok)
            md.AppendLine(F($"| {w.Workload}{(w.WeeksCap is { } cap ? $" (capped: {cap} main weeks)" : "")} | {w.Strategy} | {w.Weeks} | {w.Rentals:N0} | {w.Payments:N0} | {w.WallSeconds:N1} | {w.RentalsPerSecond:N0} | {w.RowsPerSecond:N0} | {Num(w.CeilingRowsPerSecond, "N0")} | {Pct(w.CeilingFraction)} | {w.FirstDecileWeekSeconds:0.000} → {w.LastDecileWeekSeconds:0.000} (×{w.WeekSecondsRatio:0.00}) | {w.FirstDecileMsPer1kRentals:0.0} → {w.LastDecileMsPer1kRentals:0.0} (×{w.PerRentalRatio:0.00}) |"));
        foreach (var w in report.Workloads.Where(w => w.Error is not null))
            md.AppendLine(F($"| {w.Workload} | {w.Strategy} | FAILED: {w.Error} | | | | | | | | | |"));
        md.AppendLine();
        var judged = ok.Where(w => w.PerRentalRatio > 0).ToList();
        if (judged.Count > 0)
        {
            md.AppendLine("Does a week cost more as history grows? Cost per 1,000 rentals, last tenth of the weeks against the first " +
                          $"(flat within ×{FlatLimit:0.00}):");
            md.AppendLine();
            foreach (var w in judged)
            {
                md.AppendLine(F($"- {w.Workload}: ×{w.PerRentalRatio:0.00} — {(w.PerRentalRatio <= FlatLimit ? "flat" : "**grows with history**")} ({w.FirstDecileMsPer1kRentals:0.#} → {w.MiddleDecileMsPer1kRentals:0.#} → {w.LastDecileMsPer1kRentals:0.#} ms per 1,000 rentals at the start, middle and end)"));
                if (w.Ceiling is { Capped: false, RentalGrowth: { } rg, PaymentGrowth: { } pg })
                    md.AppendLine(F($"  - the machine's own rise over the same rows: raw LOAD DATA's cost per row, last tenth of its chunks against the first, ×{rg:0.00} for rental and ×{pg:0.00} for payment"));
            }
            md.AppendLine();
        }

        foreach (var w in ok.Where(w => w.Extrapolation is not null))
        {
            var x = w.Extrapolation!;
            md.AppendLine(F($"## Reference: the old per-rental strategy ({w.Workload})"));
            md.AppendLine();
            md.AppendLine(F($"Measured: {x.MeasuredWeeks} weeks ({w.StarterWeeks} starter + {w.Weeks - w.StarterWeeks}), {w.Rentals:N0} rentals in {w.WallSeconds:N1} s ({w.RentalsPerSecond:N0} rentals/s)."));
            md.AppendLine();
            md.AppendLine("| | old per-rental strategy | DvdSim | speed-up |");
            md.AppendLine("|---|--:|--:|--:|");
            if (x.NaiveSecondsSameWeeks is { } naiveSame)
                md.AppendLine(F($"| the same first {x.MeasuredWeeks} weeks, measured | {naiveSame:N1} s | {Num(x.BulkSecondsSameWeeks, "N1")} s | {(x.SpeedupSameWeeks is { } s ? $"×{s:N1}" : "–")} |"));
            md.AppendLine(F($"| the whole scenario ({x.FullWeeks} weeks, {x.FullRentals:N0} rentals) | **{x.WallSeconds:N0} s, extrapolated** | {Num(x.BulkWallSeconds, "N1")} s measured | {(x.SpeedupFullRun is { } f ? $"×{f:N0}" : "–")} |"));
            md.AppendLine();
            md.AppendLine(F($"Fitted naive cost: {x.MsPerRental:0.###} ms per rental + {x.MsPerRentalPerMillionRows:0.###} ms per rental per million rentals already written. {x.Method}."));
            if (x.ComparedWith is null) md.AppendLine("Run the standard-3y workload in the same bench for the measured side-by-side.");
            md.AppendLine();
        }

        md.AppendLine("## Per-week cost over the run");
        md.AppendLine();
        md.AppendLine("Each row is a tenth of the weeks, first to last. s/week is the time between week completions (weeks are pipelined); " +
                      "ms/1k rentals divides it by the weeks' rentals, so seasons and growth cancel out and only a cost that grows with history remains. " +
                      "Stage columns are the coordinator's mean per-week stage times (they overlap between pipelined weeks).");
        md.AppendLine();
        foreach (var w in ok)
        {
            md.AppendLine(F($"### {w.Workload} ({w.Strategy})"));
            md.AppendLine();
            md.AppendLine(F($"Week 1 (also opens the shop and warms the services up): {w.FirstWeekSeconds:0.00} s, not in the rows below."));
            md.AppendLine();
            md.AppendLine("| weeks | rentals/week | s/week | ms/1k rentals | inventory ms | transactions ms | payments ms | wait ms |");
            md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var d in w.Deciles)
                md.AppendLine(F($"| {d.FirstWeek}–{d.LastWeek} | {d.RentalsPerWeek:N0} | {d.WeekSeconds:0.000} | {d.MsPer1kRentals:0.0} | {d.InventoryMs:N0} | {d.TransactionsMs:N0} | {d.PaymentsMs:N0} | {d.WaitMs:N0} |"));
            md.AppendLine();
        }

        md.AppendLine("## Where the time went");
        md.AppendLine();
        md.AppendLine("Coordinator stage timings added up over all weeks. Stages of different weeks run at the same time, so the sum exceeds the wall time; " +
                      "wait is the time weeks spent queued in the pipeline (inventory runs up to the coordinator's pipeline window ahead), not idle time.");
        md.AppendLine();
        md.AppendLine("| workload | inventory s | transactions s | payments s | wait s | largest stage |");
        md.AppendLine("|---|--:|--:|--:|--:|---|");
        foreach (var w in ok.Where(w => w.Stages is not null))
        {
            var s = w.Stages!;
            var working = s.InventoryMs + s.TransactionsMs + s.PaymentsMs;
            var largest = new[] { ("inventory", s.InventoryMs), ("transactions", s.TransactionsMs), ("payments", s.PaymentsMs) }.MaxBy(p => p.Item2);
            md.AppendLine(F($"| {w.Workload} | {s.InventoryMs / 1000:N1} | {s.TransactionsMs / 1000:N1} | {s.PaymentsMs / 1000:N1} | {s.WaitMs / 1000:N1} | {largest.Item1} ({Pct(working > 0 ? largest.Item2 / working : null)} of stage time) |"));
        }
        md.AppendLine();
        md.AppendLine("From the traces: span time per service of its own week/batch spans, and of the SQL commands it ran " +
                      "(lower bounds: exporters may drop spans under load).");
        md.AppendLine();
        md.AppendLine("| workload | service | stage spans | stage s | SQL commands | SQL s | SQL share of stage |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|");
        foreach (var w in ok)
            foreach (var service in w.TraceStages.Select(t => t.Service).Distinct())
            {
                var stage = w.TraceStages.FirstOrDefault(t => t.Service == service && t.Kind == "stage");
                var sql = w.TraceStages.FirstOrDefault(t => t.Service == service && t.Kind == "sql");
                if (stage is null) continue;
                md.AppendLine(F($"| {w.Workload} | {service} | {stage.Spans:N0} | {stage.TotalMs / 1000:N1} | {sql?.Spans ?? 0:N0} | {(sql?.TotalMs ?? 0) / 1000:N1} | {Pct(stage.TotalMs > 0 && sql is not null ? sql.TotalMs / stage.TotalMs : null)} |"));
            }
        md.AppendLine();
        if (ok.Any(w => w.TopSql.Count > 0))
        {
            md.AppendLine("The SQL that took the most time (transactions and payments; values left out):");
            md.AppendLine();
            md.AppendLine("| workload | service | statement | count | total s | ms each |");
            md.AppendLine("|---|---|---|--:|--:|--:|");
            foreach (var w in ok)
                foreach (var q in w.TopSql.Where(q => q.Service is "transactions" or "payments").Take(8))
                    md.AppendLine(F($"| {w.Workload} | {q.Service} | `{q.Statement}` | {q.Count:N0} | {q.TotalMs / 1000:N1} | {(q.Count > 0 ? q.TotalMs / q.Count : 0):N2} |"));
            md.AppendLine();
        }

        md.AppendLine("## Peak memory (RSS, MB)");
        md.AppendLine();
        var services = ok.SelectMany(w => w.PeakRssMb.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        md.AppendLine("| workload | " + string.Join(" | ", services) + " |");
        md.AppendLine("|---|" + string.Concat(services.Select(_ => "--:|")));
        foreach (var w in ok)
            md.AppendLine($"| {w.Workload} | " + string.Join(" | ", services.Select(s => w.PeakRssMb.TryGetValue(s, out var mb) ? mb.ToString("N0", C) : "–")) + " |");
        md.AppendLine();

        var tracked = ok.Where(w => w.Deciles.Any(d => d.PeakRssMb.Count > 0)).ToList();
        if (tracked.Count > 0)
        {
            md.AppendLine("Memory over the run: peak RSS (MB) while each tenth of the weeks was under way, and the last tenth over the middle one (near 1: bounded; weeks with more rentals hold bigger batches).");
            md.AppendLine();
        }
        foreach (var w in tracked)
        {
            var names = w.Deciles.SelectMany(d => d.PeakRssMb.Keys).Distinct().Where(n => !n.EndsWith("-epmd", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).ToList();
            md.AppendLine(F($"### {w.Workload}"));
            md.AppendLine();
            md.AppendLine("| weeks | rentals/week | " + string.Join(" | ", names) + " |");
            md.AppendLine("|---|--:|" + string.Concat(names.Select(_ => "--:|")));
            foreach (var d in w.Deciles)
                md.AppendLine(F($"| {d.FirstWeek}–{d.LastWeek} | {d.RentalsPerWeek:N0} | ") + string.Join(" | ", names.Select(n => d.PeakRssMb.TryGetValue(n, out var mb) ? mb.ToString("N0", C) : "–")) + " |");
            md.AppendLine("| last / middle | | " + string.Join(" | ", names.Select(n => w.MemoryGrowth.TryGetValue(n, out var g) ? "×" + g.ToString("0.00", C) : "–")) + " |");
            md.AppendLine();
        }

        md.AppendLine("## CPU time during the run (user + system, s)");
        md.AppendLine();
        md.AppendLine(F($"Cores: {m.Cores}. Busy = all resources' CPU seconds / (wall seconds × cores): near 100 % the run is CPU-bound."));
        md.AppendLine();
        var cpuNames = ok.SelectMany(w => w.CpuSeconds.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        md.AppendLine("| workload | " + string.Join(" | ", cpuNames) + " | total | busy |");
        md.AppendLine("|---|" + string.Concat(cpuNames.Select(_ => "--:|")) + "--:|--:|");
        foreach (var w in ok.Where(w => w.CpuSeconds.Count > 0))
        {
            var total = w.CpuSeconds.Values.Sum();
            var busy = w.WallSeconds > 0 ? total / (w.WallSeconds * Math.Max(1, m.Cores)) : 0;
            md.AppendLine($"| {w.Workload} | " + string.Join(" | ", cpuNames.Select(s => w.CpuSeconds.TryGetValue(s, out var sec) ? sec.ToString("N1", C) : "–"))
                + F($" | {total:N1} | {busy:P0} |"));
        }
        md.AppendLine();

        md.AppendLine("## Ceiling (LOAD DATA of the same rows)");
        md.AppendLine();
        md.AppendLine("Growth: cost per row of the last tenth of a table's chunks over the first tenth (– with fewer than ten chunks).");
        md.AppendLine();
        md.AppendLine("| workload | rental rows | payment rows | rental s | payment s | rows/s | rental growth | payment growth | chunk | capped | waited for flushing |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|");
        foreach (var w in ok.Where(w => w.Ceiling is not null))
        {
            var c = w.Ceiling!;
            md.AppendLine(F($"| {w.Workload} | {c.RentalRows:N0} | {c.PaymentRows:N0} | {c.RentalSeconds:N1} | {c.PaymentSeconds:N1} | {c.RowsPerSecond:N0} | {Num(c.RentalGrowth, "0.00", "×")} | {Num(c.PaymentGrowth, "0.00", "×")} | {c.ChunkRows:N0} | {(c.Capped ? "yes" : "no")} | {c.SettleSeconds:N1} s |"));
        }
        md.AppendLine();

        if (report.Comparison is { } cmp)
        {
            md.AppendLine(F($"## Compared with {cmp.Baseline} ({cmp.BaselineCreatedAt:yyyy-MM-dd HH:mm} UTC), threshold {cmp.Threshold * 100:0.#} %"));
            md.AppendLine();
            md.AppendLine("| workload | wall s then → now | ratio | rentals/s then → now | ratio | verdict |");
            md.AppendLine("|---|--:|--:|--:|--:|---|");
            foreach (var r in cmp.Workloads)
                md.AppendLine(F($"| {r.Workload} | {Num(r.BaselineWallSeconds, "N1")} → {Num(r.WallSeconds, "N1")} | {Num(r.WallRatio, "0.000")} | {Num(r.BaselineRentalsPerSecond, "N0")} → {Num(r.RentalsPerSecond, "N0")} | {Num(r.RentalsPerSecondRatio, "0.000")} | {(r.Regression ? "**" + r.Verdict + "**" : r.Verdict)} |"));
            md.AppendLine();
            md.AppendLine(cmp.Regression ? "**Result: REGRESSION** (exit code 3)." : "Result: no regression.");
            md.AppendLine();
        }

        var notes = report.Notes.Concat(report.Workloads.SelectMany(w => w.Notes.Select(n => $"{w.Workload}: {n}"))).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var note in notes) md.AppendLine("- " + note);
            md.AppendLine();
        }
        return md.ToString();
    }

    private static string F(FormattableString text) => text.ToString(C);

    private static string Num(double? value, string format, string prefix = "") => value is { } v ? prefix + v.ToString(format, C) : "–";

    private static string Pct(double? fraction) => fraction is { } f ? (f * 100).ToString(f < 0.1 ? "0.0" : "0", C) + " %" : "–";
}
