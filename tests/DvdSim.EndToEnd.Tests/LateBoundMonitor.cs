using DvdSim.Hosting;

namespace DvdSim.EndToEnd.Tests;

/// <summary>
/// The dashboard must exist before the cluster (the services need its OTLP address), while the
/// cluster's monitor exists only after: this forwards to it once it is there.
/// </summary>
internal sealed class LateBoundMonitor : IResourceMonitor
{
    private IResourceMonitor? _target;

    public IResourceMonitor? Target
    {
        get => _target;
        set
        {
            _target = value;
            if (value is null) return;
            value.ResourceChanged += r => ResourceChanged?.Invoke(r);
            value.ConsoleLineWritten += l => ConsoleLineWritten?.Invoke(l);
        }
    }

    public event Action<ResourceSnapshot>? ResourceChanged;
    public event Action<ConsoleLine>? ConsoleLineWritten;

    public IReadOnlyList<ResourceSnapshot> Resources() => _target?.Resources() ?? [];
    public IReadOnlyList<ConsoleLine> ConsoleLines(string resource, int max = 1000) => _target?.ConsoleLines(resource, max) ?? [];
    public Task StartAsync(string resource, CancellationToken cancellationToken = default) => Required.StartAsync(resource, cancellationToken);
    public Task StopAsync(string resource, CancellationToken cancellationToken = default) => Required.StopAsync(resource, cancellationToken);
    public Task RestartAsync(string resource, CancellationToken cancellationToken = default) => Required.RestartAsync(resource, cancellationToken);

    private IResourceMonitor Required => _target ?? throw new InvalidOperationException("the cluster is not started yet");
}
