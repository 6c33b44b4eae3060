using System.Diagnostics;
using DvdSim.Contracts;
using DvdSim.Model.Billing;
using DvdSim.PaymentService.Storage;
using MassTransit;

namespace DvdSim.PaymentService.Consumers;

/// <summary>
/// Bills rental batches: a consumed MassTransit batch (many RentalBatch messages) is written per
/// run database in one transaction and one round trip (one LOAD DATA when it is large). Payment
/// ids come from the rental, so a redelivered batch inserts nothing new; there is no
/// per-payment existence check.
/// </summary>
public sealed class RentalBatchConsumer(RunDatabases databases, RunSettingsCache runs) : IConsumer<Batch<RentalBatch>>
{
    public static readonly ActivitySource Source = new("DvdSim.PaymentService");

    private static readonly string[] PaymentColumns =
        ["payment_id", "customer_id", "staff_id", "rental_id", "amount", "payment_date", "last_update"];

    public async Task Consume(ConsumeContext<Batch<RentalBatch>> context)
    {
        foreach (var run in context.Message.Select(m => m.Message).GroupBy(m => m.Database))
        {
            var watch = Stopwatch.StartNew();
            var messages = run.ToList();
            using var activity = Source.StartActivity("payments batch");
            activity?.SetTag("dvdsim.database", run.Key);
            activity?.SetTag("dvdsim.weeks", string.Join(",", messages.Select(m => m.Week).Distinct()));
            activity?.SetTag("dvdsim.messages", messages.Count);

            var settings = await runs.GetAsync(run.Key, context.CancellationToken);
            var policy = LateFeePolicy.For(settings.Scenario);
            var totals = new Dictionary<(int Week, int Batch), BillTotals>();
            var rows = new List<object?[]>();
            var fees = new List<LateFeeEntry>();
            foreach (var message in messages)
            {
                var billed = new BillTotals();
                foreach (var e in message.Events)
                {
                    if (policy.ChargeFor(e) is { } charge)
                    {
                        rows.Add([charge.PaymentId, charge.CustomerId, charge.StaffId, charge.RentalId, charge.Amount, charge.PaidAt, charge.PaidAt]);
                        billed.Add(charge);
                    }
                    if (LateFeeEntry.For(policy, e) is { } fee)
                    {
                        fees.Add(fee);
                        billed.Add(fee);
                    }
                }
                totals[(message.Week, message.BatchNumber)] = billed;
            }

            // No foreign-key checks for this writer: every rental, customer and staff member an event
            // names was committed before the event was published. The checks would take shared locks
            // on those rows, which deadlock with the Transaction service writing the next week.
            var batch = new SqlBatch()
                .WithoutForeignKeyChecks()
                .Insert("payment", PaymentColumns, rows);
            LateFeeLedger.Add(batch, fees);
            batch.Insert("dvdsim_stage", ["week", "stage", "batch"], totals.Keys.Select(k => new object?[] { k.Week, "payments", k.Batch }));
            await using (var connection = await databases.OpenAsync(run.Key, context.CancellationToken))
                await batch.CommitAsync(connection, context.CancellationToken);
            activity?.SetTag("dvdsim.payments", rows.Count);

            var elapsed = watch.Elapsed.TotalMilliseconds;
            PaymentMetrics.Payments.Add(rows.Count);
            await context.Publish(new PaymentsRecorded(run.Key,
                totals.Select(t => t.Value.ToBilledBatch(t.Key.Week, t.Key.Batch, elapsed / totals.Count)).ToList()), context.CancellationToken);
        }
    }
}

public sealed class RentalBatchConsumerDefinition : ConsumerDefinition<RentalBatchConsumer>
{
    public RentalBatchConsumerDefinition() => EndpointName = "payments";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<RentalBatchConsumer> consumer, IRegistrationContext context)
    {
        endpoint.PrefetchCount = 200;
        endpoint.UseMessageRetry(r => r.Intervals(200, 1000, 5000));
        consumer.Options<BatchOptions>(o => o
            .SetMessageLimit(100)
            .SetTimeLimit(TimeSpan.FromMilliseconds(50))
            .SetConcurrencyLimit(2));
    }
}

public static class PaymentMetrics
{
    public static readonly System.Diagnostics.Metrics.Meter Meter = new("DvdSim.PaymentService");
    public static readonly System.Diagnostics.Metrics.Counter<long> Payments = Meter.CreateCounter<long>("dvdsim.payments");
}
