using DvdSim.SchemaService.Consumers;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddConsumer<PrepareRunConsumer>());

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/", () => "DvdSim schema service: creates a run's database — Sakila schema, DvdSim extensions and base data.");
app.Run();
