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

        // Not healthy while the broker refuses connections: the bus has not started.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(starting.IsCompleted);
        await broker.OpenAsync();
        await using var inventory = await starting.WaitAsync(InventoryServiceFixture.Timeout);

        var console = inventory.ConsoleText;
        var waiting = console.IndexOf($"Waiting for the broker at 127.0.0.1:{port}", StringComparison.Ordinal);
        var accepted = console.IndexOf($"The broker at 127.0.0.1:{port} accepts connections", StringComparison.Ordinal);
        var busStarted = console.IndexOf($"Bus started: rabbitmq://127.0.0.1:{port}", StringComparison.Ordinal);
        Assert.True(waiting >= 0 && accepted > waiting && busStarted > accepted, console);
        // MassTransit's own retry waits seconds between attempts; with the wait it never needs one.
        Assert.DoesNotContain("Connection Failed", console);
    }
}
