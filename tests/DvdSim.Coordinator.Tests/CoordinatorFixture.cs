using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DvdSim.Contracts;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.Coordinator.Tests;

[CollectionDefinition(CoordinatorFixture.Collection)]
public sealed class CoordinatorCollection : ICollectionFixture<CoordinatorFixture>;

/// <summary>
/// Real MariaDB and RabbitMQ, the coordinator running alone from its build output, its HTTP API,
/// the <see cref="StageDoubles"/> playing the other services, and a bus that watches what the
/// coordinator announces (WeekCompleted, RunCompleted).
/// </summary>
public sealed class CoordinatorFixture : IAsyncLifetime
{
    public const string Collection = "coordinator";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    /// <summary>Weeks of the runs the tests create: 2 starter weeks + 10, longer than the pipeline window.</summary>
    public const int Weeks = 12;
    public static readonly string[] Overrides = ["starter_weeks=2", "weeks=10", "catalog.films=50", "customers.initial=20"];

    public TestServers Servers { get; } = new();
    public TestBus Bus { get; private set; } = null!;
    public StageDoubles Stages { get; private set; } = null!;
    public ServiceHandle Coordinator { get; private set; } = null!;
    /// <summary>The health of a stage service the coordinator references (healthy unless a test says otherwise).</summary>
    public StageHealth Stage { get; } = new();
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        Bus = await Servers.StartBusAsync(bus => bus.Observe<WeekCompleted>().Observe<RunCompleted>());
        Stages = await StageDoubles.StartAsync(Servers.RabbitMqUri, Servers.MySqlConnectionString);
        Coordinator = await Servers.StartServiceAsync("DvdSim.Coordinator",
            new Dictionary<string, string> { ["services__stage__http__0"] = Stage.Url });
        Http = Coordinator.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Stages.DisposeAsync();
        await Servers.DisposeAsync();
        await Stage.DisposeAsync();
    }

    public Task<MySqlConnection> OpenAsync(string? database = null) => Servers.OpenConnectionAsync(database);

    /// <summary>POST /runs for the flat preset with <see cref="Overrides"/>; the script says how the doubles answer.</summary>
    public async Task<RunView> CreateRunAsync(string database, Action<RunScript>? script = null, params string[] overrides)
    {
        script?.Invoke(Stages.For(database));
        using var response = await Http.PostAsJsonAsync("/runs",
            new CreateRunRequest(database, Scenario: "flat", Overrides: [.. Overrides, .. overrides]), JsonSerializerOptions.Web);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /runs: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal($"/runs/{database}", response.Headers.Location?.OriginalString);
        return (await response.Content.ReadFromJsonAsync<RunView>(JsonSerializerOptions.Web))!;
    }

    public async Task<RunView> GetRunAsync(string database)
    {
        using var response = await Http.GetAsync($"/runs/{database}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /runs/{database}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<RunView>(JsonSerializerOptions.Web))!;
    }

    public async Task<RunView> WaitForStateAsync(string database, string state)
    {
        RunView? run = null;
        await Eventually($"run {database} {state}", async () => (run = await GetRunAsync(database)).State == state);
        return run!;
    }

    public Task WaitForWeeksStartedAsync(string database, int weeks) =>
        Eventually($"{weeks} weeks of {database} started", () => Task.FromResult(Stages.For(database).Started.Count >= weeks));

    public async Task Eventually(string what, Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no {what} within {Timeout.TotalSeconds} s; the coordinator said:\n" +
                                           string.Join("\n", Coordinator.ConsoleLines.TakeLast(40)));
            await Task.Delay(50);
        }
    }
}
