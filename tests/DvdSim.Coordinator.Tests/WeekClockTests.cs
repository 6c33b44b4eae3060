using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using DvdSim.Contracts;
using DvdSim.Coordinator.Runs;
using DvdSim.Model;
using DvdSim.Model.Scenarios;
using DvdSim.Testing;

namespace DvdSim.Coordinator.Tests;

/// <summary>The week clock, with the other services played by <see cref="StageDoubles"/>.</summary>
[Collection(CoordinatorFixture.Collection)]
public sealed class WeekClockTests(CoordinatorFixture fixture)
{
    private const int Weeks = CoordinatorFixture.Weeks;
    private static readonly WeekClock Clock = WeekClock.For(ScenarioLoader.Resolve("flat", overrides: CoordinatorFixture.Overrides));
    /// <summary>Long enough for a negative answer: a local broker delivers in milliseconds.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    private StageDoubles Stages => fixture.Stages;

    private sealed class WeekRow
    {
        public int Week { get; set; }
        public DateTime WeekStart { get; set; }
        public string State { get; set; } = "";
        public int Rentals { get; set; }
        public int Returns { get; set; }
        public int Lost { get; set; }
        public int Payments { get; set; }
        public int NewCustomers { get; set; }
        public int ActiveCustomers { get; set; }
        public int CheckedOut { get; set; }
        public double InventoryMs { get; set; }
        public double TransactionsMs { get; set; }
        public double PaymentsMs { get; set; }
        public double WaitMs { get; set; }
        public double WallMs { get; set; }
        public string? TraceId { get; set; }
        public decimal Revenue { get; set; }
        public int LateFees { get; set; }
        public decimal ReceivablesChange { get; set; }
        public DateTime? StartedAt { get; set; }
        public DateTime? CompletedAt { get; set; }
    }

    private async Task<List<WeekRow>> WeekRowsAsync(string database)
    {
        await using var db = await fixture.OpenAsync(database);
        return (await db.QueryAsync<WeekRow>("""
            SELECT week AS Week, week_start AS WeekStart, state AS State, rentals AS Rentals, returns AS Returns, lost AS Lost,
                   payments AS Payments, new_customers AS NewCustomers, active_customers AS ActiveCustomers, checked_out AS CheckedOut,
                   inventory_ms AS InventoryMs, transactions_ms AS TransactionsMs, payments_ms AS PaymentsMs, wait_ms AS WaitMs,
                   wall_ms AS WallMs, trace_id AS TraceId, revenue AS Revenue, late_fees AS LateFees,
                   receivables_change AS ReceivablesChange, started_at AS StartedAt, completed_at AS CompletedAt
            FROM dvdsim_week ORDER BY week
            """)).ToList();
    }

    /// <summary>dvdsim_run_state once it reads <paramref name="state"/> (the coordinator updates its memory first, then the table).</summary>
    private async Task<(string State, string? Error)> StoredStateAsync(string database, string state)
    {
        (string State, string? Error) stored = default;
        await fixture.Eventually($"{database} stored as {state}", async () =>
        {
            await using var db = await fixture.OpenAsync(database);
            stored = await db.QuerySingleAsync<(string, string?)>("SELECT state, error FROM dvdsim_run_state WHERE run_key = 1");
            return stored.State == state;
        });
        return stored;
    }

    private async Task PayWeekAsync(string database, int week)
    {
        for (var batch = 1; batch <= StageDoubles.BatchesPerWeek; batch++) await Stages.PayAsync(database, week, batch);
    }

    [Fact]
    public async Task Weeks_start_in_order_at_most_the_pipeline_window_ahead_of_payments_and_the_run_completes()
    {
        var database = TestServers.CreateDatabaseName();
        const int window = RunRegistry.PipelineWindow;
        Assert.True(Weeks > window + 1, "the run must be longer than the window");

        var created = await fixture.CreateRunAsync(database);
        Assert.Equal((database, "preparing", 0, Weeks), (created.Database, created.State, created.WeeksDone, created.WeeksTarget));
        var script = Stages.For(database);

        // With every stage answered but no payment, the clock runs ahead to the window's edge and stops there.
        await fixture.WaitForWeeksStartedAsync(database, window);
        await Task.Delay(Quiet);
        Assert.Equal(window, script.Started.Count);
        Assert.Equal(("running", 0), ((await fixture.GetRunAsync(database)).State, (await fixture.GetRunAsync(database)).WeeksDone));

        // One of two batches does not complete a week.
        await Stages.PayAsync(database, 1, 1);
        await Task.Delay(Quiet);
        Assert.Equal(window, script.Started.Count);
        // Both do, and the window moves on by one week.
        await Stages.PayAsync(database, 1, 2);
        await fixture.WaitForWeeksStartedAsync(database, window + 1);
        Assert.Equal(1, (await fixture.GetRunAsync(database)).WeeksDone);

        for (var week = 2; week <= Weeks; week++)
        {
            await PayWeekAsync(database, week);
            await fixture.WaitForWeeksStartedAsync(database, Math.Min(Weeks, week + window));
        }
        var run = await fixture.WaitForStateAsync(database, "completed");
        Assert.Equal((Weeks, Weeks, (long)Enumerable.Range(1, Weeks).Sum(w => 100 + w), (string?)null),
            (run.WeeksDone, run.WeeksTarget, run.Rentals, run.Error));

        // Each week started once, in order, never more than the window ahead of the weeks paid for.
        var started = script.Started.ToList();
        Assert.Equal(Enumerable.Range(1, Weeks), started.Select(s => s.Week));
        Assert.All(started, s => Assert.True(s.Week <= s.PaidWeeks + window, $"week {s.Week} started with only {s.PaidWeeks} weeks paid"));

        // The run's record: every week completed with what the stages reported, its timings and its trace.
        var rows = await WeekRowsAsync(database);
        Assert.Equal(Enumerable.Range(1, Weeks), rows.Select(r => r.Week));
        foreach (var row in rows)
        {
            var closed = StageDoubles.Closed(database, row.Week);
            Assert.Equal((Clock.WeekStart(row.Week).ToDateTime(TimeOnly.MinValue), "completed"), (row.WeekStart, row.State));
            Assert.Equal((closed.Rentals, closed.Returns, closed.Lost, closed.NewCustomers, closed.ActiveCustomers, closed.CheckedOut),
                (row.Rentals, row.Returns, row.Lost, row.NewCustomers, row.ActiveCustomers, row.CheckedOut));
            Assert.Equal(StageDoubles.Payments(1) + StageDoubles.Payments(2), row.Payments);
            Assert.Equal((StageDoubles.Revenue(1) + StageDoubles.Revenue(2), StageDoubles.LateFees(1) + StageDoubles.LateFees(2),
                StageDoubles.ReceivablesChange(1) + StageDoubles.ReceivablesChange(2)), (row.Revenue, row.LateFees, row.ReceivablesChange));
            Assert.Equal((StageDoubles.InventoryMs(row.Week), StageDoubles.TransactionsMs(row.Week), StageDoubles.PaymentsMs(1) + StageDoubles.PaymentsMs(2)),
                (row.InventoryMs, row.TransactionsMs, row.PaymentsMs));
            Assert.True(row.WallMs > 0 && row.WaitMs >= 0 && row.WaitMs <= row.WallMs, $"week {row.Week}: wall {row.WallMs} ms, wait {row.WaitMs} ms");
            Assert.Matches("^[0-9a-f]{32}$", row.TraceId);
            Assert.True(row.StartedAt <= row.CompletedAt, $"week {row.Week} completed at {row.CompletedAt:O} before it started at {row.StartedAt:O}");
        }
        Assert.Equal(Weeks, rows.Select(r => r.TraceId).Distinct().Count()); // a trace per week
        Assert.Equal(("completed", (string?)null), await StoredStateAsync(database, "completed"));

        // And the API shows the same weeks; the coordinator announced each one and the end.
        var weeks = await fixture.Http.GetFromJsonAsync<WeekView[]>($"/runs/{database}/weeks", JsonSerializerOptions.Web);
        Assert.Equal(rows.Select(r => (r.Week, r.State, r.Rentals, r.Payments, r.TraceId)),
            weeks!.Select(w => (w.Week, w.State, w.Rentals, w.Payments, w.TraceId)));
        await fixture.Eventually("RunCompleted", () => Task.FromResult(fixture.Bus.Received<RunCompleted>().Contains(new RunCompleted(database, Weeks))));
        Assert.Equal(Enumerable.Range(1, Weeks).Select(w => (w, 100 + w, StageDoubles.Payments(1) + StageDoubles.Payments(2))),
            fixture.Bus.Received<WeekCompleted>().Where(m => m.Database == database).Select(m => (m.Week, m.Rentals, m.Payments)).Order());

        // The statistics add up the weeks' rows (the doubles wrote no rental or payment rows: no table scan could give these).
        var stats = await fixture.Http.GetFromJsonAsync<RunStatistics>($"/runs/{database}/stats", JsonSerializerOptions.Web);
        Assert.Equal((rows.Sum(r => (long)r.Rentals), rows.Sum(r => (long)r.Payments), rows.Sum(r => r.Revenue), rows.Sum(r => (long)r.LateFees),
                rows.Sum(r => r.ReceivablesChange), StageDoubles.Closed(database, Weeks).CheckedOut, Weeks),
            (stats!.TotalRentals, stats.Payments, stats.Revenue, stats.LateFees, stats.Receivables, stats.CheckedOut, stats.WeeksCompleted));
    }

    [Fact]
    public async Task Weeks_start_a_window_ahead_without_waiting_for_stock_and_a_week_completes_from_its_rentals_and_payments()
    {
        var database = TestServers.CreateDatabaseName();
        const int window = RunRegistry.PipelineWindow;
        await fixture.CreateRunAsync(database, script => script.AnswerWeeks = false);

        // No stage answers: the clock still starts the whole window (the Inventory service takes the weeks in order).
        await fixture.WaitForWeeksStartedAsync(database, window);
        await Task.Delay(Quiet);
        Assert.Equal(Enumerable.Range(1, window), Stages.For(database).Started.Select(s => s.Week));
        var running = await fixture.Http.GetFromJsonAsync<WeekView[]>($"/runs/{database}/weeks", JsonSerializerOptions.Web);
        Assert.Equal(Enumerable.Range(1, window).Select(w => (w, "started")), running!.Select(w => (w.Week, w.State)));
        Assert.All(running!, w => Assert.Matches("^[0-9a-f]{32}$", w.TraceId));

        // Week 1's rentals (which carry the inventory stage's time) and payments complete it, and the next week starts.
        await Stages.Bus.Publish(StageDoubles.Closed(database, 1));
        await PayWeekAsync(database, 1);
        await fixture.WaitForWeeksStartedAsync(database, window + 1);
        var row = Assert.Single(await WeekRowsAsync(database));
        Assert.Equal((1, "completed", StageDoubles.InventoryMs(1), StageDoubles.TransactionsMs(1)),
            (row.Week, row.State, row.InventoryMs, row.TransactionsMs));
        Assert.Equal(running![0].TraceId, row.TraceId);
    }

    [Fact]
    public async Task A_fault_of_inventory_ready_fails_the_run_with_the_reason()
    {
        var database = TestServers.CreateDatabaseName();
        const string failure = "disk full while writing the rentals";
        await fixture.CreateRunAsync(database, script => script.TransactionsFailure = failure);

        // Stock runs ahead, so several weeks may be in flight and fail; the first fault to arrive names its week.
        var run = await fixture.WaitForStateAsync(database, "failed");
        var week = Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Error!, @"^transactions failed in week (\d+): ")).Groups[1].Value;
        Assert.Contains(int.Parse(week), Stages.For(database).Started.Select(s => s.Week));
        Assert.EndsWith(failure, run.Error);
        Assert.Equal(("failed", run.Error), await StoredStateAsync(database, "failed"));

        // The clock stops: no week starts after the failure, and late reports change nothing.
        var started = Stages.For(database).Started.Count;
        await Stages.PayAsync(database, 1, 1);
        await Task.Delay(Quiet);
        Assert.Equal(started, Stages.For(database).Started.Count);
        Assert.Equal(("failed", run.Error), ((await fixture.GetRunAsync(database)).State, (await fixture.GetRunAsync(database)).Error));
    }

    [Fact]
    public async Task Run_failed_from_a_stage_fails_the_run_with_the_reason()
    {
        var database = TestServers.CreateDatabaseName();
        await fixture.CreateRunAsync(database, script => script.AnswerWeeks = false);
        await fixture.WaitForWeeksStartedAsync(database, 1);

        await Stages.Bus.Publish(new RunFailed(database, 1, "inventory", "the supplier went bust"));
        var run = await fixture.WaitForStateAsync(database, "failed");
        Assert.Equal("inventory failed in week 1: the supplier went bust", run.Error);
        Assert.Equal(("failed", run.Error), await StoredStateAsync(database, "failed"));

        // Late reports complete nothing and start nothing.
        await Task.Delay(Quiet);
        var started = Stages.For(database).Started.Count;
        await Stages.Bus.Publish(StageDoubles.Closed(database, 1));
        await PayWeekAsync(database, 1);
        await Task.Delay(Quiet);
        Assert.Equal(started, Stages.For(database).Started.Count);
        Assert.Empty(await WeekRowsAsync(database));
        Assert.Equal("failed", (await fixture.GetRunAsync(database)).State);
    }

    [Fact]
    public async Task Extend_adds_weeks_and_the_run_continues_from_where_it_ended()
    {
        var database = TestServers.CreateDatabaseName();
        await fixture.CreateRunAsync(database, script => script.AutoPay = true);
        await fixture.WaitForStateAsync(database, "completed");

        using var refused = await fixture.Http.PostAsJsonAsync($"/runs/{database}/extend", new ExtendRunRequest(0), JsonSerializerOptions.Web);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var response = await fixture.Http.PostAsJsonAsync($"/runs/{database}/extend", new ExtendRunRequest(3), JsonSerializerOptions.Web);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var extended = await response.Content.ReadFromJsonAsync<RunView>(JsonSerializerOptions.Web);
        Assert.Equal((Weeks, Weeks + 3), (extended!.WeeksDone, extended.WeeksTarget));

        var run = await fixture.WaitForStateAsync(database, "completed");
        Assert.Equal((Weeks + 3, Weeks + 3), (run.WeeksDone, run.WeeksTarget));
        // Only the new weeks ran; the stored target grew with them.
        Assert.Equal(Enumerable.Range(1, Weeks + 3), Stages.For(database).Started.Select(s => s.Week));
        Assert.Equal(Enumerable.Range(1, Weeks + 3), (await WeekRowsAsync(database)).Where(r => r.State == "completed").Select(r => r.Week));
        await using var db = await fixture.OpenAsync(database);
        Assert.Equal(Weeks + 3, await db.ExecuteScalarAsync<int>("SELECT weeks_target FROM dvdsim_run"));
        await fixture.Eventually("RunCompleted after the extension",
            () => Task.FromResult(fixture.Bus.Received<RunCompleted>().Contains(new RunCompleted(database, Weeks + 3))));
    }

    [Fact]
    public async Task A_database_whose_weeks_kept_no_books_gets_them_on_extend_and_its_statistics_from_the_tables()
    {
        var database = TestServers.CreateDatabaseName();
        await fixture.CreateRunAsync(database, script => script.AutoPay = true);
        await fixture.WaitForStateAsync(database, "completed");
        await using (var db = await fixture.OpenAsync(database))
        {
            // As an earlier DvdSim left it: no books in dvdsim_week, payments and late fees in their tables.
            await db.ExecuteAsync("ALTER TABLE dvdsim_week DROP COLUMN revenue, DROP COLUMN late_fees, DROP COLUMN receivables_change");
            await db.ExecuteAsync("""
                SET foreign_key_checks = 0;
                INSERT INTO payment (payment_id, customer_id, staff_id, rental_id, amount, payment_date, last_update)
                VALUES (4, 1, 1, 1, 2.99, '2001-01-01', '2001-01-01'), (5, 1, 1, 1, 4.00, '2001-01-09', '2001-01-09');
                INSERT INTO late_fee (rental_id, customer_id, days_late, amount, billed_at, paid_amount, paid_at, written_off_amount, written_off_at)
                VALUES (1, 1, 4, 4.00, '2001-01-09', 1.50, '2001-01-12', 0, NULL);
                SET foreign_key_checks = 1;
                """);
        }
        var before = await fixture.Http.GetFromJsonAsync<RunStatistics>($"/runs/{database}/stats", JsonSerializerOptions.Web);
        Assert.Equal((6.99m, 1L, 2.50m), (before!.Revenue, before.LateFees, before.Receivables));

        using var response = await fixture.Http.PostAsJsonAsync($"/runs/{database}/extend", new ExtendRunRequest(2), JsonSerializerOptions.Web);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await fixture.WaitForStateAsync(database, "completed");
        var rows = await WeekRowsAsync(database); // reads the books columns: they are back
        Assert.Equal(Enumerable.Range(1, Weeks + 2), rows.Select(r => r.Week));
        Assert.Equal(StageDoubles.Revenue(1) + StageDoubles.Revenue(2), rows[^1].Revenue);
        // Weeks 1..12 have no books, so the totals still come from the tables, not half from each.
        var after = await fixture.Http.GetFromJsonAsync<RunStatistics>($"/runs/{database}/stats", JsonSerializerOptions.Web);
        Assert.Equal((6.99m, 1L, 2.50m, Weeks + 2), (after!.Revenue, after.LateFees, after.Receivables, after.WeeksCompleted));
    }
}
