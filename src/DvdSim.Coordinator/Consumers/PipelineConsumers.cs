using DvdSim.Contracts;
using DvdSim.Coordinator.Runs;
using MassTransit;

namespace DvdSim.Coordinator.Consumers;

// The coordinator listens to every stage's report; each consumer hands it to the run's week clock.

public sealed class RunPreparedConsumer(RunRegistry registry) : IConsumer<RunPrepared>
{
    public Task Consume(ConsumeContext<RunPrepared> context) => registry.ResumeAsync(context.Message.Database, context.CancellationToken);
}

public sealed class RunFailedConsumer(RunRegistry registry) : IConsumer<RunFailed>
{
    public Task Consume(ConsumeContext<RunFailed> context) =>
        registry.FailAsync(context.Message.Database,
            $"{context.Message.Service} failed{(context.Message.Week > 0 ? $" in week {context.Message.Week}" : "")}: {context.Message.Reason}",
            context.CancellationToken);
}

public sealed class RentalsClosedConsumer(RunRegistry registry) : IConsumer<RentalsClosed>
{
    public Task Consume(ConsumeContext<RentalsClosed> context) => registry.OnRentalsClosedAsync(context.Message, context.CancellationToken);
}

public sealed class PaymentsRecordedConsumer(RunRegistry registry) : IConsumer<PaymentsRecorded>
{
    public Task Consume(ConsumeContext<PaymentsRecorded> context) => registry.OnPaymentsRecordedAsync(context.Message, context.CancellationToken);
}

/// <summary>A stage gave up on a message after its retries: the run stops with the reason, rather than waiting forever.</summary>
public sealed class StageFaultConsumer(RunRegistry registry) :
    IConsumer<Fault<WeekStarted>>, IConsumer<Fault<InventoryReady>>, IConsumer<Fault<RentalBatch>>, IConsumer<Fault<PrepareRun>>
{
    public Task Consume(ConsumeContext<Fault<WeekStarted>> c) => Fail(c.Message.Message.Database, "inventory", c.Message.Message.Week, c.Message);
    public Task Consume(ConsumeContext<Fault<InventoryReady>> c) => Fail(c.Message.Message.Database, "transactions", c.Message.Message.Week, c.Message);
    public Task Consume(ConsumeContext<Fault<RentalBatch>> c) => Fail(c.Message.Message.Database, "payments", c.Message.Message.Week, c.Message);
    public Task Consume(ConsumeContext<Fault<PrepareRun>> c) => Fail(c.Message.Message.Database, "schema", 0, c.Message);

    private Task Fail(string database, string stage, int week, Fault fault) =>
        registry.FailAsync(database,
            $"{stage} failed{(week > 0 ? $" in week {week}" : "")}: {fault.Exceptions.FirstOrDefault()?.Message ?? "unknown error"}",
            CancellationToken.None);
}
