using DvdSim.Testing;

namespace DvdSim.InventoryService.Tests;

/// <summary>
/// The AppHost starts the services together with RabbitMQ, not after it (ServiceDefaults' BrokerWait):
/// a service whose broker is still booting starts its bus once the port opens, at the first attempt.
/// </summary>
[Collection(InventoryServiceFixture.Collection)]
public sealed class LateBrokerTests(InventoryServiceFixture fixture)
{
    [Fact]
    public async Task A_service_started_before_its_broker_starts_its_bus_when_the_broker_opens_its_port()
    {
        await using var broker = new LateBroker(fixture.Servers.RabbitMqUri);
        var port = new Uri(broker.Uri).Port;
        var starting = fixture.Servers.StartServiceAsync("DvdSim.InventoryService",
            new Dictionary<string, string> { ["ConnectionStrings__messaging"] = broker.Uri });

        // Not healthy while the broker refuses connections: the bus has not started. (The app model
        // takes seconds to start the process: wait for it, then give it a second of waiting.)
        await WaitForProcessAsync($"ConnectionStrings__messaging={broker.Uri}");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(starting.IsCompleted);
        await broker.OpenAsync();
        await using var inventory = await starting.WaitAsync(InventoryServiceFixture.Timeout);

        var console = inventory.ConsoleText;
        var waiting = console.IndexOf($"Waiting for the broker at 127.0.0.1:{port}", StringComparison.Ordinal);
        var accepted = console.IndexOf($"The broker at 127.0.0.1:{port} accepts connections", StringComparison.Ordinal);
        var busStarted = console.IndexOf($"Bus started: rabbitmq://127.0.0.1:{port}", StringComparison.Ordinal);
        Assert.True(waiting >= 0 && accepted > waiting && busStarted > accepted,
            $"the late broker is on port {port}; the service got {RunningClusterMask(inventory.Environment.GetValueOrDefault("ConnectionStrings__messaging"))}:\n{console}");
        // MassTransit's own retry waits seconds between attempts; with the wait it never needs one.
        Assert.DoesNotContain("Connection Failed", console);
    }

    private static async Task WaitForProcessAsync(string environmentEntry)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Directory.EnumerateDirectories("/proc").Any(d => HasEntry(d, environmentEntry)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no process with {environmentEntry} within 60 s");
            await Task.Delay(100);
        }
    }

    private static bool HasEntry(string processDirectory, string entry)
    {
        try { return File.ReadAllText(Path.Combine(processDirectory, "environ")).Split('\0').Contains(entry); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static string RunningClusterMask(string? uri) => uri is null ? "no ConnectionStrings__messaging" : new Uri(uri).GetLeftPart(UriPartial.Authority).Replace(new Uri(uri).UserInfo + "@", "");
}
