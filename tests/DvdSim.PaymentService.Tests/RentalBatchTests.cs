using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Billing;
using Xunit.Abstractions;

namespace DvdSim.PaymentService.Tests;

[Collection(PaymentServiceFixture.Collection)]
public sealed class RentalBatchTests(PaymentServiceFixture fixture, ITestOutputHelper output)
{
    private const decimal PerDay = 1.75m;
    private const decimal PartialFraction = 0.4m;
    private static readonly DateTime FarFuture = new(2100, 1, 1);

    /// <summary>Every way a rental can be billed, and three customers who still owe something.</summary>
    private static void Standard(ShopHistory h)
    {
        h.Rent(customerId: 1, day: 0);                                                             // back on time
        h.Rent(customerId: 1, day: 1, daysLate: 3, settlement: FeeSettlement.PaidOnReturn);         // late, paid at the counter
        h.Rent(customerId: 2, day: 2, daysLate: 4, settlement: FeeSettlement.PaidLater);            // paid some days later
        h.Rent(customerId: 3, day: 3, daysLate: 2, settlement: FeeSettlement.PaidPartly);           // paid partly, the rest written off
        h.Rent(customerId: 4, day: 4, daysLate: 5, settlement: FeeSettlement.NeverPaid);            // written off
        h.Rent(customerId: 5, day: 5, lost: true);                                                  // never came back
        h.Rent(customerId: 6, day: 6, daysLate: 6, settlement: FeeSettlement.PaidLater, sendFeePaid: false);   // not paid yet
        h.Rent(customerId: 7, day: 7, daysLate: 1, settlement: FeeSettlement.PaidPartly, sendWriteOff: false); // rest not written off yet
        h.Rent(customerId: 8, day: 8, daysLate: 2, settlement: FeeSettlement.NeverPaid, sendWriteOff: false);  // not written off yet
    }

    private static decimal Fee(HistoryRental r) => r.DaysLate * PerDay;
    private static decimal Partial(HistoryRental r) => Math.Round(Fee(r) * PartialFraction, 2, MidpointRounding.AwayFromZero);

    private static IEnumerable<(long PaymentId, int CustomerId, int StaffId, long RentalId, decimal Amount, DateTime At)> ExpectedPayments(ShopHistory h)
    {
        foreach (var r in h.Rentals)
        {
            yield return (r.RentalId * 4, r.CustomerId, r.StaffId, r.RentalId, r.Film.RentalRate, r.RentedAt);
            if (r.LostAt is { } lost) yield return (r.RentalId * 4 + 2, r.CustomerId, r.StaffId, r.RentalId, r.Film.ReplacementCost, lost);
            if (r.Plan is not { } plan) continue;
            switch (plan.Settlement)
            {
                case FeeSettlement.PaidOnReturn:
                    yield return (r.RentalId * 4 + 1, r.CustomerId, r.StaffId, r.RentalId, Fee(r), r.ReturnedAt!.Value);
                    break;
                case FeeSettlement.PaidLater when r.FeePaidSent:
                    yield return (r.RentalId * 4 + 1, r.CustomerId, r.StaffId, r.RentalId, Fee(r), plan.PaidAt!.Value);
                    break;
                case FeeSettlement.PaidPartly when r.FeePaidSent:
                    yield return (r.RentalId * 4 + 1, r.CustomerId, r.StaffId, r.RentalId, Partial(r), plan.PaidAt!.Value);
                    break;
            }
        }
    }

    private static IEnumerable<(long RentalId, int CustomerId, int DaysLate, decimal Amount, DateTime BilledAt, decimal Paid, DateTime? PaidAt,
        decimal WrittenOff, DateTime? WrittenOffAt)> ExpectedLedger(ShopHistory h)
    {
        foreach (var r in h.Rentals.Where(r => r.Plan is not null))
        {
            var plan = r.Plan!;
            var (paid, paidAt, off, offAt) = plan.Settlement switch
            {
                FeeSettlement.PaidOnReturn => (Fee(r), r.ReturnedAt, 0m, (DateTime?)null),
                FeeSettlement.PaidLater => r.FeePaidSent ? (Fee(r), plan.PaidAt, 0m, null) : (0m, null, 0m, null),
                FeeSettlement.PaidPartly => (r.FeePaidSent ? Partial(r) : 0m, r.FeePaidSent ? plan.PaidAt : null,
                    r.WriteOffSent ? Fee(r) - Partial(r) : 0m, r.WriteOffSent ? plan.WrittenOffAt : null),
                _ => (0m, null, r.WriteOffSent ? Fee(r) : 0m, r.WriteOffSent ? plan.WrittenOffAt : null),
            };
            yield return (r.RentalId, r.CustomerId, r.DaysLate, Fee(r), r.ReturnedAt!.Value, paid, paidAt, off, offAt);
        }
    }

    /// <summary>How many payments a message makes, by the billing rules.</summary>
    private static int Charges(RentalBatch message, ShopHistory h) => message.Events.Count(e =>
    {
        var rental = h.Rentals.Single(r => r.RentalId == e.RentalId);
        return e.Kind switch
        {
            RentalEventKind.Rented or RentalEventKind.Lost or RentalEventKind.LateFeePaid => true,
            RentalEventKind.Returned => rental.Plan?.Settlement == FeeSettlement.PaidOnReturn,
            _ => false,
        };
    });

    private async Task<List<(long, int, int, long, decimal, DateTime, DateTime)>> PaymentsAsync(string database)
    {
        await using var db = await fixture.OpenAsync(database);
        return (await db.QueryAsync<(long, int, int, long, decimal, DateTime, DateTime)>(
            "SELECT payment_id, customer_id, staff_id, rental_id, amount, payment_date, last_update FROM payment ORDER BY payment_id")).ToList();
    }

    [Fact]
    public async Task Payments_are_the_rental_rate_the_late_fee_per_day_and_the_replacement_cost_with_ids_from_the_rental()
    {
        var (database, history) = await fixture.PrepareWithHistoryAsync(Standard);
        // The history has every settlement, and a film's rate, duration and cost really come from the catalogue.
        Assert.Equal(Enum.GetValues<FeeSettlement>(), history.Rentals.Where(r => r.Plan is not null).Select(r => r.Plan!.Settlement).Distinct().Order());
        Assert.All(history.Rentals.Where(r => r.Plan is not null), r => Assert.Equal(Fee(r), r.Plan!.Fee));

        await fixture.PublishAndAwaitAsync(history.Messages(database));

        var expected = ExpectedPayments(history).Select(p => (p.PaymentId, p.CustomerId, p.StaffId, p.RentalId, p.Amount, p.At, p.At))
            .OrderBy(p => p.PaymentId);
        Assert.Equal(expected, await PaymentsAsync(database));
    }

    [Fact]
    public async Task The_late_fee_ledger_holds_each_late_return_billed_paid_and_written_off()
    {
        var (database, history) = await fixture.PrepareWithHistoryAsync(Standard);
        await fixture.PublishAndAwaitAsync(history.Messages(database));

        await using var db = await fixture.OpenAsync(database);
        var ledger = await db.QueryAsync<(long, int, int, decimal, DateTime, decimal, DateTime?, decimal, DateTime?)>("""
            SELECT rental_id, customer_id, days_late, amount, billed_at, paid_amount, paid_at, written_off_amount, written_off_at
            FROM late_fee ORDER BY rental_id
            """);
        Assert.Equal(ExpectedLedger(history).OrderBy(r => r.RentalId), ledger);
    }

    [Fact]
    public async Task Each_message_is_reported_billed_once_with_its_own_payments()
    {
        var (database, history) = await fixture.PrepareWithHistoryAsync(Standard);
        var messages = history.Messages(database);
        Assert.Contains(messages, m => m.BatchCount > 1);
        await fixture.PublishAndAwaitAsync(messages);

        var recorded = fixture.Bus.Received<PaymentsRecorded>().Where(m => m.Database == database).SelectMany(m => m.Batches).ToList();
        Assert.Equal(messages.Select(m => (m.Week, m.BatchNumber, Charges(m, history))).Order(),
            recorded.Select(b => (b.Week, b.BatchNumber, b.Payments)).Order());
        Assert.All(recorded, b => Assert.True(b.StageMilliseconds > 0));
        // The payments stage of every message is marked done.
        await using var db = await fixture.OpenAsync(database);
        Assert.Equal(messages.Select(m => (m.Week, m.BatchNumber)).Order(),
            await db.QueryAsync<(int, int)>("SELECT week, batch FROM dvdsim_stage WHERE stage = 'payments' ORDER BY week, batch"));
    }

    [Fact]
    public async Task Redelivered_and_out_of_order_batches_give_identical_tables()
    {
        var (inOrder, history) = await fixture.PrepareWithHistoryAsync(Standard);
        await fixture.PublishAndAwaitAsync(history.Messages(inOrder));

        var (database, twin) = await fixture.PrepareWithHistoryAsync(Standard);
        var messages = twin.Messages(database);
        // Newest first, each in a transaction of its own (write-offs and payments before their returns), …
        foreach (var message in messages.Reverse()) await fixture.PublishAndAwaitAsync([message]);
        // … then all of them again at once, as after a redelivery.
        await fixture.PublishAndAwaitAsync(messages);

        string[] tables = ["payment", "late_fee", "dvdsim_stage"];
        Assert.Equal(await fixture.ChecksumsAsync(inOrder, tables), await fixture.ChecksumsAsync(database, tables));
        Assert.Equal(await PaymentsAsync(inOrder), await PaymentsAsync(database));
    }

    [Fact]
    public async Task Get_customer_balance_is_zero_when_everything_is_settled_and_the_unpaid_rest_otherwise()
    {
        var (database, history) = await fixture.PrepareWithHistoryAsync(Standard);
        await fixture.PublishAndAwaitAsync(history.Messages(database));

        await using var db = await fixture.OpenAsync(database);
        async Task<decimal> Balance(int customer, DateTime at) =>
            await db.ExecuteScalarAsync<decimal>("SELECT get_customer_balance(@customer, @at)", new { customer, at });

        var owed = history.Rentals.GroupBy(r => r.CustomerId).ToDictionary(g => g.Key, g => g.Sum(r => r.Plan switch
        {
            { Settlement: FeeSettlement.PaidLater } when !r.FeePaidSent => Fee(r),
            { Settlement: FeeSettlement.PaidPartly } when !r.WriteOffSent => Fee(r) - Partial(r),
            { Settlement: FeeSettlement.NeverPaid } when !r.WriteOffSent => Fee(r),
            _ => 0m,
        }));
        Assert.All(owed.Where(o => o.Key <= 5), o => Assert.Equal(0m, o.Value)); // customers 1–5 settled everything
        Assert.All(owed.Where(o => o.Key > 5), o => Assert.True(o.Value > 0)); // customers 6–8 still owe
        foreach (var (customer, rest) in owed) Assert.Equal(rest, await Balance(customer, FarFuture));

        // In between: a fee paid later is owed from the return until the day it is paid.
        var later = history.Rentals.Single(r => r is { CustomerId: 2, Plan.Settlement: FeeSettlement.PaidLater });
        Assert.Equal(Fee(later), await Balance(2, later.Plan!.PaidAt!.Value.AddSeconds(-1)));
        Assert.Equal(0m, await Balance(2, later.Plan.PaidAt.Value));
    }

    [Fact]
    public async Task Fifty_messages_at_once_are_consumed_as_batches_in_fewer_round_trips_and_all_recorded()
    {
        var (database, history) = await fixture.PrepareWithHistoryAsync(h =>
        {
            for (var i = 0; i < 50; i++) h.Rent(customerId: 1 + i % 80, day: i % 7);
        });
        var clock = WeekClock.For(PaymentServiceFixture.Scenario);
        // One message per rental: its Rented and Returned events.
        var messages = history.Rentals.GroupBy(r => clock.WeekOf(r.RentedAt)).SelectMany(week => week.Select((r, i) =>
                new RentalBatch(database, week.Key, i + 1, week.Count(), history.Events().Where(e => e.RentalId == r.RentalId).ToList())))
            .ToList();
        Assert.Equal(50, messages.Count);

        // Queued while the service is down, then taken as they come: the batch consumer gets them together.
        await fixture.Payments.StopAsync();
        var commitsBefore = await CommitsAsync();
        await Task.WhenAll(messages.Select(m => fixture.Bus.PublishAsync(m)));
        await fixture.Payments.StartAsync();
        await fixture.Payments.WaitUntilRunningAsync();
        await PaymentServiceFixture.Eventually("50 batches reported billed", () =>
            fixture.Bus.Received<PaymentsRecorded>().Where(m => m.Database == database).Sum(m => m.Batches.Count) >= 50, fixture.Payments);
        var commits = await CommitsAsync() - commitsBefore;
        var reports = fixture.Bus.Received<PaymentsRecorded>().Count(m => m.Database == database);
        output.WriteLine($"50 messages written in {commits} transaction(s), reported in {reports} PaymentsRecorded");
        // One report per transaction, not per message.
        Assert.InRange(reports, 1, 10);

        await using var db = await fixture.OpenAsync(database);
        Assert.Equal(50, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payment"));
        Assert.Equal(50, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dvdsim_stage WHERE stage = 'payments'"));
        // One transaction per consumed batch: far fewer than one per message.
        Assert.InRange(commits, 1, 10);
    }

    /// <summary>COMMITs the server has run so far (one per transaction of the payment service).</summary>
    private async Task<long> CommitsAsync()
    {
        await using var db = await fixture.OpenAsync();
        return long.Parse((await db.QuerySingleAsync<(string Name, string Value)>("SHOW GLOBAL STATUS LIKE 'Com_commit'")).Value,
            System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_batch_it_cannot_bill_ends_as_a_fault_of_that_rental_batch_for_the_coordinator()
    {
        // A run database that does not exist: every retry fails, then MassTransit gives up on the message.
        var missing = DvdSim.Testing.TestServers.CreateDatabaseName();
        var message = new RentalBatch(missing, 3, 1, 1,
            [new RentalEvent(12, 1, 1, RentalEventKind.Rented, new DateTime(2001, 7, 20, 11, 0, 0), new DateTime(2001, 7, 20, 11, 0, 0), 2.99m, 3, 19.99m)]);
        await fixture.Bus.PublishAsync(message);

        // The coordinator stops a run on Fault<RentalBatch>: the batch consumer must fault the message itself.
        var fault = await fixture.Bus.WaitForAsync<MassTransit.Fault<RentalBatch>>(f => f.Message.Database == missing, TimeSpan.FromSeconds(45));
        Assert.Equal((3, 1), (fault.Message.Week, fault.Message.BatchNumber));
        Assert.Contains(missing, fault.Exceptions.Single().Message);
        Assert.DoesNotContain(fixture.Bus.Received<PaymentsRecorded>(), m => m.Database == missing);
    }

    [Fact]
    public async Task The_service_answers_on_its_root_and_health_endpoints()
    {
        using var http = fixture.Payments.CreateClient();
        Assert.Contains("payment service", await http.GetStringAsync("/"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
