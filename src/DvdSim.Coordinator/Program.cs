using DvdSim.Coordinator.Api;
using DvdSim.Coordinator.Consumers;
using DvdSim.Coordinator.Runs;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus =>
{
    bus.AddConsumer<RunPreparedConsumer>();
    bus.AddConsumer<RunFailedConsumer>();
    bus.AddConsumer<RentalsClosedConsumer>();
    bus.AddConsumer<PaymentsRecordedConsumer>();
    bus.AddConsumer<StageFaultConsumer>();
});
builder.Services.AddSingleton<RunRegistry>();
builder.Services.AddSingleton<StageServices>();
builder.Services.AddHostedService<RunWatchdog>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRunsApi();
app.MapGet("/", () => "DvdSim coordinator: runs and the week clock. See /runs.");
app.Run();
