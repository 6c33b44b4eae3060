using Aspire.Hosting;
using DvdSim.Hosting;

// Two roles for DvdSim.Hosting.Tests:
//   ProbeService                       a service: GET /health, GET /env, POST /allocate, POST /unhealthy, POST /crash
//   ProbeService cluster DATA DCP DASHBOARD   a small Aspire AppHost (the paths of dcp and of the dashboard): MariaDB, RabbitMQ,
//                                      an executable with a grandchild, and this program as a service;
//                                      prints READY, runs until SIGTERM.
if (args is ["cluster", var dataDirectory, var dcp, var dashboard]) return await RunClusterAsync(dataDirectory, dcp, dashboard);

var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
var healthy = true;
app.MapGet("/health", () => healthy ? Results.Text("Healthy") : Results.StatusCode(503));
app.MapPost("/unhealthy", () => { healthy = false; });
app.MapGet("/env", () => Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? ""));
app.MapPost("/allocate", () =>
{
    // 256 MiB of short-lived 1 KiB arrays: how many gen0 collections that takes shows the gen0 budget.
    var before = GC.CollectionCount(0);
    byte[]? last = null;
    for (var i = 0; i < 256 * 1024; i++) last = new byte[1024];
    GC.KeepAlive(last);
    return GC.CollectionCount(0) - before;
});
app.MapPost("/crash", () =>
{
    // Answer first, then die the way a crashing service does.
    _ = Task.Run(async () => { await Task.Delay(100); Environment.Exit(3); });
    return Results.Accepted();
});
app.Run();
return 0;

static async Task<int> RunClusterAsync(string dataDirectory, string dcp, string dashboard)
{
    var data = await ClusterData.OpenAsync(new AppHostOptions { DataDirectory = dataDirectory });
    var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
    {
        Args = [$"--DcpPublisher:CliPath={dcp}", $"--DcpPublisher:DashboardPath={dashboard}"], DisableDashboard = true, AllowUnsecuredTransport = true,
    });
    Cluster.Configure(builder, dashboard: false, out _);
    var mysql = builder.AddMariaDb("mysql", data);
    var messaging = builder.AddRabbitMq("messaging", data);
    builder.AddExecutable("sleeper", "/bin/sh", dataDirectory, "-c", "sleep 300 & sleep 300");
    builder.AddService("probe", Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "ProbeService.csproj")), data)
        .WithReference(mysql).WithReference(messaging).WaitFor(mysql);
    await using var cluster = await Cluster.StartAsync(builder, data, dashboardLoginUrl: null);
    Console.WriteLine("READY");
    await cluster.WaitForShutdownAsync();
    Console.WriteLine("STOPPED");
    return 0;
}
