using System.Net.Http.Json;
using DvdSim.Hosting.Tests.Support;
using DvdSim.Testing;

namespace DvdSim.Hosting.Tests;

/// <summary>Services run from their build output with Aspire's environment, health-checked and restarted after a crash.</summary>
[Collection(TestServers.Collection)]
public sealed class ProjectTests(TestServers servers) : IDisposable
{
    private readonly ProbeService _probe = new();

    /// <summary>The shared test servers as external resources.</summary>
    private AppHostOptions ExternalServers() => new()
    {
        Ephemeral = true,
        ExternalMySqlConnectionString = servers.MySqlConnectionString,
        ExternalRabbitMqUri = servers.RabbitMqUri,
        RestartBackoff = TimeSpan.FromMilliseconds(100),
    };

    private Task<Cluster> ProbeCluster(Action<Aspire.Hosting.IDistributedApplicationBuilder, ClusterData, Aspire.Hosting.ApplicationModel.IResourceBuilder<ServiceResource>>? extend = null,
        IReadOnlyCollection<string>? only = null) =>
        Clusters.StartAsync(ExternalServers(), (builder, data) =>
        {
            var mysql = builder.AddMariaDb("mysql", data);
            var messaging = builder.AddRabbitMq("messaging", data);
            var probe = builder.AddService("probe", _probe.ProjectPath, data).WithReference(mysql).WithReference(messaging).WaitFor(mysql).WaitFor(messaging);
            extend?.Invoke(builder, data, probe);
        }, only);

    private static HttpClient Client(Cluster cluster) => new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = cluster.GetEndpoint("probe") };

    [Fact]
    public async Task A_service_runs_its_built_dll_with_connection_strings_service_urls_and_telemetry_settings()
    {
        await using var cluster = await ProbeCluster((builder, data, probe) =>
        {
            var other = builder.AddService("other", _probe.ProjectPath, data);
            probe.WithReference(other).WaitFor(other).WithEnvironment("DVDSIM_EXTRA", "42");
        });
        using var client = Client(cluster);
        var environment = (await client.GetFromJsonAsync<Dictionary<string, string>>("/env"))!;

        Assert.Equal(servers.MySqlConnectionString, environment["ConnectionStrings__mysql"]);
        Assert.Equal(servers.RabbitMqUri, environment["ConnectionStrings__messaging"]);
        var other = new Uri(environment["services__other__http__0"]);
        Assert.Equal(cluster.GetEndpoint("other").Port, other.Port);
        Assert.True(other.IsLoopback, other.ToString());
        Assert.Equal(cluster.GetEndpoint("probe").ToString().TrimEnd('/'), environment["ASPNETCORE_URLS"]);
        Assert.Equal("probe", environment["OTEL_SERVICE_NAME"]);
        Assert.StartsWith("service.instance.id=", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("Production", environment["DOTNET_ENVIRONMENT"]);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("42", environment["DVDSIM_EXTRA"]);
        Assert.StartsWith(cluster.Data.Path + "|", environment["DVDSIM_OWNER"]); // found again by its data directory
        // The gen0 budget services get (hex, as the runtime reads DOTNET_ values), and the runtime took it:
        // 256 MiB of short-lived garbage takes 4 gen0 collections with 64 MiB, 16 with the default here.
        Assert.Equal(ServiceResource.Gen0Budget, environment["DOTNET_GCgen0size"]);
        using var allocated = await client.PostAsync("/allocate", null);
        Assert.InRange(await allocated.Content.ReadFromJsonAsync<int>(), 1, 8);

        var pid = cluster.Resource("probe").ProcessId!.Value;
        var commandLine = LiveProcesses.CommandLine(pid);
        Assert.EndsWith(_probe.Dll, commandLine);
        Assert.DoesNotContain(" run ", commandLine); // the build output, not `dotnet run`
        Assert.Equal(Path.GetFullPath(_probe.OutputDirectory), new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(true)!.FullName);
        Assert.Equal(["external", "external", "project", "project"], cluster.Monitor.Resources().Select(r => r.Kind).Order());
    }

    [Fact]
    public async Task A_crashed_service_is_restarted_counted_and_healthy_again()
    {
        await using var cluster = await ProbeCluster();
        var before = cluster.Resource("probe");
        Assert.Equal(ResourceState.Running, before.State);

        using (var client = Client(cluster)) await client.PostAsync("/crash", null);

        var after = await cluster.WaitForAsync("probe", r => r is { State: ResourceState.Running, Restarts: 1 } && r.ProcessId != before.ProcessId);
        Assert.Equal(3, after.ExitCode);
        Assert.False(LiveProcesses.IsAlive(before.ProcessId!.Value));
        using var again = Client(cluster);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await again.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_service_whose_health_check_fails_is_reported_unhealthy()
    {
        await using var cluster = await ProbeCluster();
        using var client = Client(cluster);
        await client.PostAsync("/unhealthy", null);

        var unhealthy = await cluster.WaitForAsync("probe", r => r.State == ResourceState.Unhealthy, TimeSpan.FromSeconds(90));
        Assert.Equal(0, unhealthy.Restarts);
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
                Assert.NotEmpty(service.Environment);
                Assert.All(service.Environment, e => Assert.Equal(e.Value, environment[e.Key])); // the handle tells what the process got

                var crashed = service.ProcessId!.Value;
                service.Crash();
                await service.WaitUntilRunningAsync(restarts: 1);
                pid = service.ProcessId!.Value;
                Assert.NotEqual(crashed, pid);
                await service.WaitForAsync("its start-up line", () => service.ConsoleText.Contains("Now listening on"), TimeSpan.FromSeconds(10));
            }
            Assert.Empty(await LiveProcesses.WaitAllGoneAsync([pid], TimeSpan.FromSeconds(5)));
        }
        finally
        {
            servers.RepoRoot = null;
        }
    }

    [Fact]
    public async Task Starting_only_a_service_starts_the_servers_it_references_and_nothing_else()
    {
        await using var cluster = await ProbeCluster((builder, data, probe) =>
            builder.AddExecutable("unrelated", "sleep", data.Path, "300"), only: ["probe"]);

        var states = cluster.Monitor.Resources().ToDictionary(r => r.Name, r => r.State);
        Assert.Equal(ResourceState.Running, states["probe"]);
        Assert.Equal(ResourceState.Running, states["mysql"]);
        Assert.Equal(ResourceState.Running, states["messaging"]);
        Assert.False(states.ContainsKey("unrelated"));
    }

    public void Dispose() => _probe.Dispose();
}
