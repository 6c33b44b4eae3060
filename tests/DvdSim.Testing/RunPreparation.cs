using DvdSim.Contracts;

namespace DvdSim.Testing;

/// <summary>
/// Test set-up shared by the service test projects: a run database prepared by the schema service
/// (running alongside, not under test). The bus must observe RunPrepared and RunFailed.
/// </summary>
public static class RunPreparation
{
    /// <summary>Publishes PrepareRun and returns once RunPrepared arrives; throws on RunFailed or after <paramref name="timeout"/>.</summary>
    public static async Task PrepareRunAsync(this TestBus bus, PrepareRun message, TimeSpan timeout, ServiceHandle? schema = null)
    {
        await bus.PublishAsync(message);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (bus.Received<RunFailed>().FirstOrDefault(m => m.Database == message.Database) is { } failed)
                throw new InvalidOperationException($"preparing {message.Database} failed: {failed.Reason}");
            if (bus.Received<RunPrepared>().Any(m => m.Database == message.Database)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{message.Database} was not prepared within {timeout.TotalSeconds} s" +
            (schema is null ? "" : ":\n" + schema.ConsoleText));
    }
}
