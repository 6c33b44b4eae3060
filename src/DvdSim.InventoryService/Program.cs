using DvdSim.InventoryService.Consumers;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddConsumer<WeekStartedConsumer, WeekStartedConsumerDefinition>());

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/", () => "DvdSim inventory service: opening stock, new releases and restocks, week by week.");
app.Run();
