using DvdSim.TransactionService;
using DvdSim.TransactionService.Consumers;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddConsumer<InventoryReadyConsumer, InventoryReadyConsumerDefinition>());
builder.Services.AddSingleton<RunShops>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/", () => "DvdSim transaction service: customers, rentals and returns, week by week.");
app.Run();
