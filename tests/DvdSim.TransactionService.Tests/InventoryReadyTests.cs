using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Billing;
using DvdSim.Model.Shop;

namespace DvdSim.TransactionService.Tests;

/// <summary>
/// What the transaction service makes of a week, played week by week on <see cref="TransactionServiceFixture.Main"/>:
/// the messages it publishes, and the consistency rules of SIMULATION.md checked in SQL.
/// </summary>
[Collection(TransactionServiceFixture.Collection)]
public sealed class InventoryReadyTests(TransactionServiceFixture fixture)
{
    private static Scenario Scenario => TransactionServiceFixture.Scenario;
    private static readonly WeekClock Clock = WeekClock.For(Scenario);
    private static readonly LateFeePolicy Fees = LateFeePolicy.For(Scenario);

    private static DateTime Start(int week) => Clock.WeekStart(week).ToDateTime(TimeOnly.MinValue);

    private sealed class Rental
    {
        public long RentalId { get; set; }
        public int CustomerId { get; set; }
        public int StaffId { get; set; }
        public int InventoryId { get; set; }
        public DateTime RentalDate { get; set; }
        public DateTime? ReturnDate { get; set; }
        public DateTime? DeclaredLost { get; set; }
        public decimal RentalRate { get; set; }
        public int RentalDuration { get; set; }
        public decimal ReplacementCost { get; set; }

        public RentalEvent Event(RentalEventKind kind, DateTime at, DateTime? returnedAt = null) =>
            new(RentalId, CustomerId, StaffId, kind, at, RentalDate, RentalRate, RentalDuration, ReplacementCost, returnedAt);

        public FeePlan? FeePlan => ReturnDate is { } back ? Fees.PlanFor(RentalId, RentalDate, back, RentalDuration) : null;
    }

    private async Task<List<Rental>> RentalsAsync()
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        return (await db.QueryAsync<Rental>("""
            SELECT r.rental_id AS RentalId, r.customer_id AS CustomerId, r.staff_id AS StaffId, r.inventory_id AS InventoryId,
                   r.rental_date AS RentalDate, r.return_date AS ReturnDate, l.declared_on AS DeclaredLost,
                   f.rental_rate AS RentalRate, f.rental_duration AS RentalDuration, f.replacement_cost AS ReplacementCost
            FROM rental r
            JOIN inventory i ON i.inventory_id = r.inventory_id
            JOIN film f ON f.film_id = i.film_id
            LEFT JOIN rental_loss l ON l.rental_id = r.rental_id
            ORDER BY r.rental_id
            """)).ToList();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        return await db.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public void Each_week_is_billed_in_batches_of_at_most_1000_events_numbered_up_to_the_announced_count()
    {
        foreach (var run in fixture.MainWeeks)
        {
            var count = run.Closed.BatchCount;
            Assert.Equal(Enumerable.Range(1, count), run.Batches.Select(b => b.BatchNumber));
            Assert.All(run.Batches, b =>
            {
                Assert.Equal((fixture.Main, run.Week, count), (b.Database, b.Week, b.BatchCount));
                Assert.InRange(b.Events.Count, 1, 1000);
            });
            // No event is sent twice, and events go out in time order.
            var events = run.Events.ToList();
            Assert.Equal(events.Count, events.Select(e => (e.RentalId, e.Kind)).Distinct().Count());
            Assert.Equal(events.Select(e => e.At).Order(), events.Select(e => e.At));
        }
        // The scenario makes weeks that need more than one batch.
        Assert.Contains(fixture.MainWeeks, r => r.Closed.BatchCount >= 2);
    }

    [Fact]
    public async Task The_events_of_each_week_are_exactly_what_was_written_that_week()
    {
        var rentals = await RentalsAsync();
        foreach (var run in fixture.MainWeeks)
        {
            var (start, end) = (Start(run.Week), Clock.WeekEnd(run.Week));
            bool InWeek(DateTime? at) => at >= start && at < end;
            var expected = new List<RentalEvent>();
            foreach (var r in rentals)
            {
                if (InWeek(r.RentalDate)) expected.Add(r.Event(RentalEventKind.Rented, r.RentalDate));
                if (InWeek(r.ReturnDate)) expected.Add(r.Event(RentalEventKind.Returned, r.ReturnDate!.Value));
                if (InWeek(r.DeclaredLost)) expected.Add(r.Event(RentalEventKind.Lost, r.DeclaredLost!.Value));
                // Late fees not paid on return are settled later, per the rental's fee plan.
                if (r.FeePlan is { Settlement: not FeeSettlement.PaidOnReturn } plan)
                {
                    if (InWeek(plan.PaidAt)) expected.Add(r.Event(RentalEventKind.LateFeePaid, plan.PaidAt!.Value, r.ReturnDate));
                    if (InWeek(plan.WrittenOffAt)) expected.Add(r.Event(RentalEventKind.LateFeeWrittenOff, plan.WrittenOffAt!.Value, r.ReturnDate));
                }
            }
            Assert.Equal(Sorted(expected), Sorted(run.Events));
        }
        // Every kind of event happens in this scenario.
        Assert.Equal(Enum.GetValues<RentalEventKind>(), fixture.MainWeeks.SelectMany(r => r.Events).Select(e => e.Kind).Distinct().Order());
    }

    internal static List<RentalEvent> Sorted(IEnumerable<RentalEvent> events) =>
        events.OrderBy(e => e.RentalId).ThenBy(e => e.Kind).ToList();

    [Fact]
    public void Rentals_closed_reports_the_week_as_it_was_written()
    {
        var previous = new HashSet<long>();
        foreach (var run in fixture.MainWeeks)
        {
            var snapshot = run.Snapshot!;
            var (start, end) = (Start(run.Week), Clock.WeekEnd(run.Week));
            var closed = run.Closed;
            Assert.Equal((fixture.Main, run.Week), (closed.Database, closed.Week));
            Assert.Equal(snapshot.Rentals.Count(r => !previous.Contains(r.RentalId)), closed.Rentals);
            Assert.Equal(snapshot.Rentals.Count(r => r.ReturnDate >= start && r.ReturnDate < end), closed.Returns);
            Assert.Equal(snapshot.Losses.Values.Count(d => d >= start && d < end), closed.Lost);
            Assert.Equal(snapshot.Customers.Count(c => c.CreateDate >= start && c.CreateDate < end), closed.NewCustomers);
            Assert.Equal(snapshot.Customers.Count(c => c.Active), closed.ActiveCustomers);
            Assert.Equal(snapshot.Rentals.Count(r => r.ReturnDate is null && !snapshot.Losses.ContainsKey(r.RentalId)), closed.CheckedOut);
            Assert.True(closed.StageMilliseconds > 0);
            previous = snapshot.Rentals.Select(r => r.RentalId).ToHashSet();
        }
    }

    [Fact]
    public async Task Rentals_fall_inside_their_week_in_shop_hours_and_nothing_is_dated_after_the_week()
    {
        long lastId = 0;
        foreach (var run in fixture.MainWeeks)
        {
            var snapshot = run.Snapshot!;
            var (start, end) = (Start(run.Week), Clock.WeekEnd(run.Week));
            var added = snapshot.Rentals.Where(r => r.RentalId > lastId).ToList();
            // Ids continue without gaps, and the week's rentals are in the week, between 10:00 and 22:00.
            Assert.Equal(Enumerable.Range((int)lastId + 1, added.Count).Select(i => (long)i), added.Select(r => r.RentalId));
            Assert.NotEmpty(added);
            Assert.All(added, r =>
            {
                Assert.InRange(r.RentalDate, start, end.AddTicks(-1));
                Assert.InRange(r.RentalDate.TimeOfDay, TimeSpan.FromHours(ReturnPlan.OpeningHour), TimeSpan.FromHours(ReturnPlan.ClosingHour));
            });
            // At the end of the week the database holds nothing from its future.
            Assert.All(snapshot.Rentals, r => Assert.True(r.RentalDate < end && (r.ReturnDate ?? start) < end,
                $"rental {r.RentalId} is dated after week {run.Week}"));
            Assert.All(snapshot.Losses.Values, d => Assert.True(d < end));
            Assert.All(snapshot.Customers, c => Assert.True(c.CreateDate < end, $"customer {c.CustomerId} signs up after week {run.Week}"));
            Assert.All(snapshot.StatusChanges, c => Assert.True(c.ChangedAt < end,
                $"copy {c.InventoryId} is '{c.Status}' from {c.ChangedAt:u}, after week {run.Week}"));
            lastId = added[^1].RentalId;
        }
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM rental WHERE return_date <= rental_date"));
    }

    [Fact]
    public async Task Returns_are_written_in_the_week_they_happen_and_open_rentals_are_null_at_the_end_of_each_week()
    {
        var duration = (await RentalsAsync()).ToDictionary(r => r.RentalId, r => r.RentalDuration);
        foreach (var run in fixture.MainWeeks)
        {
            var snapshot = run.Snapshot!;
            var end = Clock.WeekEnd(run.Week);
            foreach (var r in snapshot.Rentals)
            {
                // When it comes back was decided when it went out (keyed by the rental): it is in the
                // database from the week it happens, not earlier and not later.
                var plan = ReturnPlan.For(Scenario.Seed, Scenario.Returns, r.RentalId, r.RentalDate, duration[r.RentalId]);
                var due = plan.At < end;
                if (plan.Outcome == ReturnOutcome.NeverReturned)
                {
                    Assert.Null(r.ReturnDate);
                    Assert.Equal(due ? plan.At : null, snapshot.Losses.TryGetValue(r.RentalId, out var lost) ? lost : (DateTime?)null);
                }
                else
                {
                    Assert.False(snapshot.Losses.ContainsKey(r.RentalId));
                    Assert.True((due ? plan.At : (DateTime?)null) == r.ReturnDate,
                        $"week {run.Week}: rental {r.RentalId} due back {plan.At:u} has return_date {r.ReturnDate:u}");
                }
            }
            // Every week ends with rentals still out.
            Assert.Contains(snapshot.Rentals, r => r.ReturnDate is null && !snapshot.Losses.ContainsKey(r.RentalId));
        }
    }

    [Fact]
    public async Task A_copy_is_never_out_twice_at_once_nor_rented_when_lost_damaged_or_in_maintenance()
    {
        // Rentals are open from rental_date until return_date, until declared lost, or (still out) for ever.
        Assert.Equal(0, await CountAsync("""
            SELECT COUNT(*) FROM rental a
            JOIN rental b ON b.inventory_id = a.inventory_id AND b.rental_id > a.rental_id
            LEFT JOIN rental_loss la ON la.rental_id = a.rental_id
            LEFT JOIN rental_loss lb ON lb.rental_id = b.rental_id
            WHERE b.rental_date < COALESCE(a.return_date, la.declared_on, '9999-12-31')
              AND a.rental_date < COALESCE(b.return_date, lb.declared_on, '9999-12-31')
            """));
        Assert.Equal(0, await CountAsync("""
            SELECT COUNT(*) FROM rental r JOIN rental_loss l ON l.inventory_id = r.inventory_id WHERE r.rental_date >= l.declared_on
            """));
        Assert.Equal(0, await CountAsync("""
            SELECT COUNT(*) FROM rental r JOIN inventory_status_history h ON h.inventory_id = r.inventory_id
            WHERE (h.status = 'damaged' AND r.rental_date >= h.changed_at)
               OR (h.status = 'maintenance' AND r.rental_date >= h.changed_at AND r.rental_date < h.until)
            """));
        // Copies are popular enough to go out again and again, and all three kinds of outage happen.
        Assert.True(await CountAsync("SELECT COUNT(*) FROM (SELECT inventory_id FROM rental GROUP BY inventory_id HAVING COUNT(*) >= 3) x") > 50);
        Assert.True(await CountAsync("SELECT COUNT(*) FROM rental_loss") > 0);
        Assert.True(await CountAsync("SELECT COUNT(*) FROM inventory_status_history WHERE status = 'damaged'") > 0);
        Assert.True(await CountAsync("SELECT COUNT(*) FROM inventory_status_history WHERE status = 'maintenance'") > 0);
    }

    [Fact]
    public async Task Customers_and_copies_exist_before_they_rent_in_their_own_store_and_churned_customers_do_not_rent()
    {
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM rental r JOIN customer c ON c.customer_id = r.customer_id WHERE r.rental_date < c.create_date"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id WHERE r.rental_date < i.last_update"));
        Assert.Equal(0, await CountAsync("""
            SELECT COUNT(*) FROM rental r
            JOIN customer c ON c.customer_id = r.customer_id
            JOIN inventory i ON i.inventory_id = r.inventory_id
            JOIN staff s ON s.staff_id = r.staff_id
            WHERE i.store_id <> c.store_id OR s.store_id <> c.store_id
            """));
        // After a customer's last churn (and no comeback since) they rent nothing more.
        Assert.Equal(0, await CountAsync("""
            SELECT COUNT(*) FROM rental r JOIN customer_profile p ON p.customer_id = r.customer_id
            WHERE p.churned_on IS NOT NULL AND r.rental_date >= p.churned_on
              AND (p.reactivated_on IS NULL OR p.reactivated_on < p.churned_on)
            """));
        // customer.active and customer_profile.churned_on tell the same story; every sign-up has its profile.
        Assert.Equal(0, await CountAsync("""
            SELECT COUNT(*) FROM customer c LEFT JOIN customer_profile p ON p.customer_id = c.customer_id
            WHERE p.customer_id IS NULL OR c.active <> (p.churned_on IS NULL)
            """));
        Assert.True(await CountAsync("SELECT COUNT(*) FROM customer_profile WHERE churned_on IS NOT NULL") > 0);
        Assert.True(await CountAsync("SELECT COUNT(*) FROM customer_profile WHERE reactivated_on IS NOT NULL") > 0);
        Assert.True(await CountAsync($"SELECT COUNT(*) FROM customer WHERE customer_id > {Scenario.Customers.Initial}") > 0);
    }

    [Fact]
    public async Task A_customer_does_not_rent_the_same_film_again_within_30_days()
    {
        Assert.Equal(30, Scenario.Customers.NoRepeatDays);
        Assert.Equal(0, await CountAsync("""
            SELECT COUNT(*) FROM rental a
            JOIN inventory ia ON ia.inventory_id = a.inventory_id
            JOIN rental b ON b.customer_id = a.customer_id AND b.rental_id <> a.rental_id
              AND b.rental_date >= a.rental_date AND b.rental_date < a.rental_date + INTERVAL 30 DAY
            JOIN inventory ib ON ib.inventory_id = b.inventory_id AND ib.film_id = ia.film_id
            """));
    }

    [Fact]
    public async Task A_customer_never_has_more_rentals_out_than_their_segment_allows()
    {
        var limits = Scenario.Segments.ToDictionary(s => s.Name, s => s.MaxSimultaneousRentals);
        await using var db = await fixture.OpenAsync(fixture.Main);
        // How many of the customer's rentals are out at the moment each rental goes out (itself included).
        var peaks = (await db.QueryAsync<(string Segment, long Peak)>("""
            SELECT x.segment, MAX(x.out_now) FROM (
              SELECT p.segment, a.rental_id, COUNT(*) AS out_now
              FROM rental a
              JOIN customer_profile p ON p.customer_id = a.customer_id
              JOIN rental b ON b.customer_id = a.customer_id AND b.rental_date <= a.rental_date
              LEFT JOIN rental_loss lb ON lb.rental_id = b.rental_id
              WHERE COALESCE(b.return_date, lb.declared_on, '9999-12-31') > a.rental_date
              GROUP BY p.segment, a.rental_id) x
            GROUP BY x.segment
            """)).ToDictionary(p => p.Segment, p => p.Peak);
        Assert.Equal(limits.Keys.Order(), peaks.Keys.Order());
        // The limits bind: customers of both segments reach theirs, and none goes over.
        Assert.Equal(limits.Select(l => (l.Key, (long)l.Value)).Order(), peaks.Select(p => (p.Key, p.Value)).Order());
    }

    [Fact]
    public async Task A_customer_owing_more_than_the_suspension_limit_rents_nothing_until_they_pay()
    {
        var limit = Scenario.LateFeePayments.SuspendAboveBalance;
        var rentals = await RentalsAsync();
        var fees = rentals.Where(r => r.FeePlan is { Settlement: not FeeSettlement.PaidOnReturn })
            .Select(r => (r.CustomerId, ReturnedAt: r.ReturnDate!.Value, Plan: r.FeePlan!)).ToLookup(f => f.CustomerId);

        // What the customer owes just before a moment: fees billed earlier, less what was paid or written off earlier.
        decimal OwedBefore(int customer, DateTime at) => fees[customer].Where(f => f.ReturnedAt < at).Sum(f =>
            f.Plan.Fee - (f.Plan.PaidAt < at ? f.Plan.PaidAmount : 0) - (f.Plan.WrittenOffAt < at ? f.Plan.WrittenOffAmount : 0));

        Assert.All(rentals, r => Assert.True(OwedBefore(r.CustomerId, r.RentalDate) <= limit,
            $"customer {r.CustomerId} owed {OwedBefore(r.CustomerId, r.RentalDate)} when renting {r.RentalId} at {r.RentalDate:u}"));
        // And some customers did owe more than that for a while (the rule had something to stop).
        Assert.Contains(fees, customer => customer.Any(f => OwedBefore(customer.Key, f.ReturnedAt.AddSeconds(1)) > limit));
    }

    [Fact]
    public void The_weeks_agree_with_the_pure_model()
    {
        var model = new List<RunTotals>();
        Rehearsal.Run(Scenario, TransactionServiceFixture.Weeks, (_, totals) => model.Add(totals));
        RunTotals? before = null;
        foreach (var (run, totals) in fixture.MainWeeks.Zip(model))
        {
            var expected = (totals.Rentals - (before?.Rentals ?? 0), totals.Returns - (before?.Returns ?? 0),
                totals.Lost - (before?.Lost ?? 0), totals.CheckedOut, totals.ActiveCustomers);
            Assert.Equal(expected, ((long)run.Closed.Rentals, (long)run.Closed.Returns, (long)run.Closed.Lost, run.Closed.CheckedOut,
                run.Closed.ActiveCustomers));
            before = totals;
        }
        Assert.Equal(model[^1].Customers, fixture.MainWeeks[^1].Snapshot!.Customers.Count);
    }

    [Fact]
    public async Task The_service_answers_on_its_root_and_health_endpoints()
    {
        using var http = fixture.Transactions.CreateClient();
        Assert.Contains("transaction service", await http.GetStringAsync("/"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
