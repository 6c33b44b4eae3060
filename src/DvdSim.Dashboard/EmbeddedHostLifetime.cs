using Microsoft.Extensions.Hosting;

namespace DvdSim.Dashboard;

/// <summary>
/// The dashboard lives inside the AppHost's process, so it must not take over Ctrl+C or SIGTERM the way the
/// default console lifetime does: the AppHost decides when to stop and then disposes the dashboard.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
