namespace DvdSim.Hosting;

// What the orchestrator exposes about the processes it runs. The dashboard reads this;
// it is the only coupling between DvdSim.Hosting and DvdSim.Dashboard.

public enum ResourceState { NotStarted, Starting, Running, Unhealthy, Restarting, Exited, Stopping, Stopped, Failed }

public sealed record ResourceSnapshot(
    string Name,
    string Kind,                     // "mariadb", "rabbitmq", "epmd", "project", "external"
    ResourceState State,
    int? ProcessId,
    IReadOnlyList<string> Endpoints, // e.g. "http://127.0.0.1:5123", "tcp://127.0.0.1:3307"
    DateTimeOffset? StartedAt,
    int Restarts,
    int? ExitCode);

public sealed record ConsoleLine(string Resource, DateTimeOffset At, bool IsError, string Text);

public interface IResourceMonitor
{
    IReadOnlyList<ResourceSnapshot> Resources();
    /// <summary>The most recent console lines of one resource (a bounded ring buffer), oldest first.</summary>
    IReadOnlyList<ConsoleLine> ConsoleLines(string resource, int max = 1000);
    event Action<ResourceSnapshot>? ResourceChanged;
    event Action<ConsoleLine>? ConsoleLineWritten;
    Task StartAsync(string resource, CancellationToken cancellationToken = default);
    Task StopAsync(string resource, CancellationToken cancellationToken = default);
    Task RestartAsync(string resource, CancellationToken cancellationToken = default);
}
