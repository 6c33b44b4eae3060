using DvdSim.TransactionService;
using DvdSim.TransactionService.Consumers;
using DvdSim.TransactionService.Reference;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus =>
{
    // Benchmark hook: Dvdsim:Strategy=naive runs the old per-rental strategy (Reference/, docs/benchmarks.md).
    if (NaiveRentalDesk.IsSelected(builder.Configuration)) bus.AddConsumer<NaiveRentalDesk, NaiveRentalDeskDefinition>();
    else bus.AddConsumer<InventoryReadyConsumer, InventoryReadyConsumerDefinition>();
});
builder.Services.AddSingleton<RunShops>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/", () => "DvdSim transaction service: customers, rentals and returns, week by week.");
app.Run();
