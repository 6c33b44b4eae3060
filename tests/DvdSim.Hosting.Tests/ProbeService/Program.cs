using DvdSim.Hosting;

// Two roles for DvdSim.Hosting.Tests:
//   ProbeService                       a service: GET /health, GET /env, POST /allocate, POST /unhealthy, POST /crash
//   ProbeService cluster DATA REPO     a small AppHost: MariaDB, RabbitMQ, an executable with a
//                                      grandchild, and this program as a project; prints READY, runs until SIGTERM.
if (args is ["cluster", var dataDirectory, var repoRoot]) return await RunClusterAsync(dataDirectory, repoRoot);

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

static async Task<int> RunClusterAsync(string dataDirectory, string repoRoot)
{
    var builder = AppHost.CreateBuilder(new AppHostOptions { DataDirectory = dataDirectory, RepoRoot = repoRoot });
    var mysql = builder.AddMariaDb("mysql");
    var messaging = builder.AddRabbitMq("messaging");
    builder.AddExecutable("sleeper", "/bin/sh", "-c", "sleep 300 & sleep 300");
    builder.AddProject("probe", "ProbeService").WithReference(mysql).WithReference(messaging).WaitFor(mysql);
    var cluster = builder.Build();
    await cluster.StartAsync();
    Console.WriteLine("READY");
    await cluster.WaitForShutdownAsync();
    await cluster.StopAsync();
    Console.WriteLine("STOPPED");
    return 0;
}
