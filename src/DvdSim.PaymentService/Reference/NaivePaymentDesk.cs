using System.Diagnostics;
using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Billing;
using DvdSim.PaymentService.Consumers;
using DvdSim.Model.Shop;
using MassTransit;

namespace DvdSim.PaymentService.Reference;

/// <summary>
/// The benchmark's reference strategy, selected with <c>Dvdsim:Strategy=naive</c> (env
/// <c>Dvdsim__Strategy</c>) and used by nothing else: billing the way the old tool did it, so that
/// <c>bench</c> can show what batch consumption and bulk writes buy. One RentalBatch message at a
/// time; for every charge a lookup of the rental's payments (<c>SELECT … FROM payment WHERE
/// rental_id = …</c>), then a single-row INSERT when the payment is not there yet; late fees one
/// statement each. The payments written are the same as <see cref="RentalBatchConsumer"/>'s.
/// See docs/benchmarks.md.
/// </summary>
public sealed class NaivePaymentDesk(RunDatabases databases, RunSettingsCache runs) : IConsumer<RentalBatch>
{
    public const string ConfigurationKey = "Dvdsim:Strategy";

    /// <summary>True when the service was started with <c>Dvdsim:Strategy=naive</c>.</summary>
    public static bool IsSelected(IConfiguration configuration) =>
        string.Equals(configuration[ConfigurationKey], "naive", StringComparison.OrdinalIgnoreCase);

    public async Task Consume(ConsumeContext<RentalBatch> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        var watch = Stopwatch.StartNew();
        // Same span name as the real strategy, so the benchmark's stage breakdown compares like with like.
        using var activity = RentalBatchConsumer.Source.StartActivity("payments batch");
        activity?.SetTag("dvdsim.database", message.Database);
        activity?.SetTag("dvdsim.weeks", message.Week.ToString(System.Globalization.CultureInfo.InvariantCulture));
        activity?.SetTag("dvdsim.messages", 1);
        activity?.SetTag("dvdsim.strategy", "naive");

        var policy = LateFeePolicy.For((await runs.GetAsync(message.Database, ct)).Scenario);
        var billed = new BillTotals();
        await using (var db = await databases.OpenAsync(message.Database, ct))
        await using (var tx = await RunDatabases.BeginWriteAsync(db, ct))
        {
            foreach (var e in message.Events)
            {
                if (policy.ChargeFor(e) is { } charge)
                {
                    var paid = await db.QueryAsync<long>(new CommandDefinition(
                        "SELECT payment_id FROM payment WHERE rental_id = @rentalId", new { rentalId = charge.RentalId }, tx, cancellationToken: ct));
                    if (!paid.Contains(charge.PaymentId))
                        await db.ExecuteAsync(new CommandDefinition("""
                            INSERT INTO payment (payment_id, customer_id, staff_id, rental_id, amount, payment_date, last_update)
                            VALUES (@PaymentId, @CustomerId, @StaffId, @RentalId, @Amount, @PaidAt, @PaidAt)
                            """, charge, tx, cancellationToken: ct));
                    billed.Add(charge);
                }
                if (LateFeeEntry.For(policy, e) is { } fee)
                {
                    await db.ExecuteAsync(new CommandDefinition(LateFeeUpsert, fee, tx, cancellationToken: ct));
                    billed.Add(fee);
                }
            }
            await db.ExecuteAsync(new CommandDefinition(
                "INSERT IGNORE INTO dvdsim_stage (week, stage, batch) VALUES (@week, 'payments', @batch)",
                new { week = message.Week, batch = message.BatchNumber }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        activity?.SetTag("dvdsim.payments", billed.Payments);
        PaymentMetrics.Payments.Add(billed.Payments);
        await context.Publish(new PaymentsRecorded(message.Database,
            [billed.ToBilledBatch(message.Week, message.BatchNumber, watch.Elapsed.TotalMilliseconds)]), ct);
    }

    private const string LateFeeUpsert = """
        INSERT INTO late_fee (rental_id, customer_id, days_late, amount, billed_at, paid_amount, paid_at, written_off_amount, written_off_at)
        VALUES (@RentalId, @CustomerId, @DaysLate, @Fee, @BilledAt, @PaidAmount, @PaidAt, @WrittenOffAmount, @WrittenOffAt)
        ON DUPLICATE KEY UPDATE
          paid_amount = IF(VALUES(paid_at) IS NULL, paid_amount, VALUES(paid_amount)),
          paid_at = COALESCE(VALUES(paid_at), paid_at),
          written_off_amount = IF(VALUES(written_off_at) IS NULL, written_off_amount, VALUES(written_off_amount)),
          written_off_at = COALESCE(VALUES(written_off_at), written_off_at)
        """;
}

public sealed class NaivePaymentDeskDefinition : ConsumerDefinition<NaivePaymentDesk>
{
    public NaivePaymentDeskDefinition()
    {
        EndpointName = "payments";
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<NaivePaymentDesk> consumer, IRegistrationContext context) =>
        endpoint.UseMessageRetry(r => r.Intervals(200, 1000, 5000));
}
