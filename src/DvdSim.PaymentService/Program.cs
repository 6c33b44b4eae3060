using MassTransit;
using DvdSim.PaymentService.Consumers;
using DvdSim.PaymentService.Reference;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus =>
{
    // Benchmark hook: Dvdsim:Strategy=naive runs the old per-rental strategy (Reference/, docs/benchmarks.md).
    if (NaivePaymentDesk.IsSelected(builder.Configuration)) bus.AddConsumer<NaivePaymentDesk, NaivePaymentDeskDefinition>();
    else bus.AddConsumer<RentalBatchConsumer, RentalBatchConsumerDefinition>();
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/", () => "DvdSim payment service: bills rental batches (rental fees, late fees, replacement costs).");
app.Run();
