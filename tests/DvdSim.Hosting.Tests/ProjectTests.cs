using System.Net.Http.Json;
using DvdSim.Hosting.Tests.Support;
using DvdSim.Testing;

namespace DvdSim.Hosting.Tests;

/// <summary>Projects run from their build output with Aspire's environment, health-checked and restarted after a crash.</summary>
[Collection(TestServers.Collection)]
public sealed class ProjectTests(TestServers servers) : IDisposable
{
    private readonly ProbeService _probe = new();

    /// <summary>The probe's build and the shared test servers as external resources.</summary>
    private AppHostOptions ExternalServers() => new AppHostOptions
    {
        Ephemeral = true,
        HandleShutdownSignals = false,
        RepoRoot = _probe.RepoRoot,
        Configuration = _probe.Configuration,
        ExternalMySqlConnectionString = servers.MySqlConnectionString,
        ExternalRabbitMqUri = servers.RabbitMqUri,
        RestartBackoff = TimeSpan.FromMilliseconds(100),
    };

    private Cluster ProbeCluster(Action<AppHostBuilder, IResourceBuilder<ProjectResource>>? extend = null)
    {
        var builder = AppHost.CreateBuilder(ExternalServers());
        var mysql = builder.AddMariaDb("mysql");
        var messaging = builder.AddRabbitMq("messaging");
        var probe = builder.AddProject("probe", "ProbeService").WithReference(mysql).WithReference(messaging).WaitFor(mysql).WaitFor(messaging);
        extend?.Invoke(builder, probe);
        return builder.Build();
    }

    private static HttpClient Client(Cluster cluster) => new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = cluster.GetEndpoint("probe") };

    private static ResourceSnapshot Probe(Cluster cluster) => cluster.Monitor.Resources().Single(r => r.Name == "probe");

    [Fact]
    public async Task A_project_runs_its_built_dll_with_connection_strings_service_urls_and_telemetry_settings()
    {
        await using var cluster = ProbeCluster((builder, probe) =>
        {
            builder.WithOtlpEndpoint("http://127.0.0.1:18890");
            var other = builder.AddProject("other", "ProbeService");
            probe.WithReference(other).WaitFor(other).WithEnvironment("DVDSIM_EXTRA", "42");
        });
        await cluster.StartAsync();
        using var client = Client(cluster);
        var environment = (await client.GetFromJsonAsync<Dictionary<string, string>>("/env"))!;

        Assert.Equal(servers.MySqlConnectionString, environment["ConnectionStrings__mysql"]);
        Assert.Equal(servers.RabbitMqUri, environment["ConnectionStrings__messaging"]);
        Assert.Equal(cluster.GetEndpoint("other").ToString().TrimEnd('/'), environment["services__other__http__0"]);
        Assert.Equal(cluster.GetEndpoint("probe").ToString().TrimEnd('/'), environment["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:18890", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("probe", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=probe-1", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("Production", environment["DOTNET_ENVIRONMENT"]);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("42", environment["DVDSIM_EXTRA"]);
        // The gen0 budget projects get (hex, as the runtime reads DOTNET_ values), and the runtime took it:
        // 256 MiB of short-lived garbage takes 4 gen0 collections with 64 MiB, 16 with the default here.
        Assert.Equal(ProjectResource.Gen0Budget, environment["DOTNET_GCgen0size"]);
        using var allocated = await client.PostAsync("/allocate", null);
        Assert.InRange(await allocated.Content.ReadFromJsonAsync<int>(), 1, 8);

        var pid = Probe(cluster).ProcessId!.Value;
        var commandLine = LiveProcesses.CommandLine(pid);
        Assert.EndsWith(Path.Combine("src", "ProbeService", "bin", _probe.Configuration, "net10.0", "ProbeService.dll"), commandLine);
        Assert.DoesNotContain(" run ", commandLine); // the build output, not `dotnet run`
        Assert.Equal(Path.GetFullPath(_probe.OutputDirectory), new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(true)!.FullName);
        Assert.Equal(["external", "external", "project", "project"], cluster.Monitor.Resources().Select(r => r.Kind).Order());
    }

    [Fact]
    public async Task A_crashed_project_is_restarted_counted_and_healthy_again()
    {
        await using var cluster = ProbeCluster();
        await cluster.StartAsync();
        var before = Probe(cluster);
        Assert.Equal(ResourceState.Running, before.State);

        using (var client = Client(cluster)) await client.PostAsync("/crash", null);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Probe(cluster) is not { State: ResourceState.Running, Restarts: 1 } && DateTime.UtcNow < deadline) await Task.Delay(50);
        var after = Probe(cluster);
        Assert.Equal(ResourceState.Running, after.State);
        Assert.Equal(1, after.Restarts);
        Assert.Equal(3, after.ExitCode);
        Assert.NotEqual(before.ProcessId, after.ProcessId);
        Assert.False(LiveProcesses.IsAlive(before.ProcessId!.Value));
        using var again = Client(cluster);
        var environment = (await again.GetFromJsonAsync<Dictionary<string, string>>("/env"))!;
        Assert.Equal("service.instance.id=probe-2", environment["OTEL_RESOURCE_ATTRIBUTES"]);
    }

    [Fact]
    public async Task A_project_whose_health_check_fails_is_reported_unhealthy()
    {
        await using var cluster = ProbeCluster();
        await cluster.StartAsync();
        using var client = Client(cluster);
        await client.PostAsync("/unhealthy", null);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Probe(cluster).State != ResourceState.Unhealthy && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(ResourceState.Unhealthy, Probe(cluster).State);
        Assert.Equal(0, Probe(cluster).Restarts);
    }

    [Fact]
    public async Task The_test_host_runs_one_service_against_the_shared_servers_and_stops_it()
    {
        servers.RepoRoot = _probe.RepoRoot; // the probe stands in for a service under src/
        try
        {
            int pid;
            await using (var service = await servers.StartServiceAsync("ProbeService", new Dictionary<string, string> { ["DVDSIM_EXTRA"] = "7" }))
            {
                Assert.Equal("probe", service.Name);
                using var client = service.CreateClient();
                var environment = (await client.GetFromJsonAsync<Dictionary<string, string>>("/env"))!;
                Assert.Equal(servers.MySqlConnectionString, environment["ConnectionStrings__mysql"]);
                Assert.Equal(servers.RabbitMqUri, environment["ConnectionStrings__messaging"]);
                Assert.Equal("7", environment["DVDSIM_EXTRA"]);
                Assert.All(service.Environment, e => Assert.Equal(e.Value, environment[e.Key])); // the handle tells what the process got

                var crashed = service.ProcessId!.Value;
                service.Crash();
                await service.WaitUntilRunningAsync(restarts: 1);
                pid = service.ProcessId!.Value;
                Assert.NotEqual(crashed, pid);
                Assert.Contains("Now listening on", service.ConsoleText);
            }
            Assert.False(LiveProcesses.IsAlive(pid));
        }
        finally
        {
            servers.RepoRoot = null;
        }
    }

    [Fact]
    public async Task Starting_only_a_project_starts_the_servers_it_references_even_without_waiting_for_them()
    {
        var builder = AppHost.CreateBuilder(ExternalServers());
        var mysql = builder.AddMariaDb("mysql");
        var messaging = builder.AddRabbitMq("messaging");
        builder.AddExecutable("unrelated", "sleep", "300");
        builder.AddProject("probe", "ProbeService").WithReference(mysql).WithReference(messaging);
        await using var cluster = builder.Build();

        await cluster.StartAsync(["probe"]);

        var states = cluster.Monitor.Resources().ToDictionary(r => r.Name, r => r.State);
        Assert.Equal(ResourceState.Running, states["probe"]);
        Assert.Equal(ResourceState.Running, states["mysql"]);
        Assert.Equal(ResourceState.Running, states["messaging"]);
        Assert.Equal(ResourceState.NotStarted, states["unrelated"]);
    }

    public void Dispose() => _probe.Dispose();
}
