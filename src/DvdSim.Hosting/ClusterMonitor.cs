namespace DvdSim.Hosting;

/// <summary>The cluster's <see cref="IResourceMonitor"/>: snapshots, console lines, and per-resource control.</summary>
internal sealed class ClusterMonitor(IReadOnlyList<Resource> resources) : IResourceMonitor
{
    public event Action<ResourceSnapshot>? ResourceChanged;
    public event Action<ConsoleLine>? ConsoleLineWritten;

    public IReadOnlyList<ResourceSnapshot> Resources() => resources.Select(r => r.Snapshot()).ToList();

    public IReadOnlyList<ConsoleLine> ConsoleLines(string resource, int max = 1000) =>
        Find(resource).ConsoleLog?.Lines(max) ?? [];

    public Task StartAsync(string resource, CancellationToken cancellationToken = default) =>
        Controllable(resource).StartAsync(cancellationToken);

    public Task StopAsync(string resource, CancellationToken cancellationToken = default) =>
        Controllable(resource).StopAsync().WaitAsync(cancellationToken);

    public async Task RestartAsync(string resource, CancellationToken cancellationToken = default)
    {
        var target = Controllable(resource);
        await target.StopAsync().WaitAsync(cancellationToken);
        await target.StartAsync(cancellationToken);
    }

    internal void OnChanged(ResourceSnapshot snapshot)
    {
        try { ResourceChanged?.Invoke(snapshot); }
        catch (Exception e) { Console.Error.WriteLine($"dvdsim: a ResourceChanged handler failed: {e.Message}"); }
    }

    internal void OnConsoleLine(ConsoleLine line)
    {
        try { ConsoleLineWritten?.Invoke(line); }
        catch (Exception e) { Console.Error.WriteLine($"dvdsim: a ConsoleLineWritten handler failed: {e.Message}"); }
    }

    private Resource Find(string name) =>
        resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"there is no resource named '{name}'");

    private Resource Controllable(string name)
    {
        var resource = Find(name);
        if (!resource.IsPrepared) throw new InvalidOperationException($"{name} is not part of the started cluster");
        if (!resource.HasProcess) throw new InvalidOperationException($"{name} is {resource.Kind}: there is no process to start or stop");
        return resource;
    }
}
