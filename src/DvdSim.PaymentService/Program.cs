using MassTransit;
using DvdSim.PaymentService.Consumers;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddConsumer<RentalBatchConsumer, RentalBatchConsumerDefinition>());

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/", () => "DvdSim payment service: bills rental batches (rental fees, late fees, replacement costs).");
app.Run();
