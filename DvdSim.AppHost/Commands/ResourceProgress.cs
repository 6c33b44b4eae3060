using System.Diagnostics;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Commands;

/// <summary>Prints the state changes a user cares about: ready, restarting, unhealthy, failed.</summary>
internal sealed class ResourceProgress(TextWriter output, Stopwatch clock)
{
    private readonly Dictionary<string, ResourceState> _printed = [];
    private readonly Lock _lock = new();

    public void OnChanged(ResourceSnapshot resource)
    {
        if (resource.State is not (ResourceState.Running or ResourceState.Unhealthy or ResourceState.Restarting or ResourceState.Failed))
            return;
        lock (_lock)
        {
            if (_printed.TryGetValue(resource.Name, out var last) && last == resource.State) return;
            _printed[resource.Name] = resource.State;
            var detail = resource.State switch
            {
                ResourceState.Running => string.Join(" ", resource.Endpoints),
                ResourceState.Restarting => $"exit code {resource.ExitCode}, restart {resource.Restarts}",
                ResourceState.Failed => resource.ExitCode is { } code ? $"exit code {code}" : "",
                _ => "",
            };
            output.WriteLine($"  {clock.Elapsed.TotalSeconds,5:0.0} s  {resource.Name,-15} {resource.State.ToString().ToLowerInvariant(),-10} {detail}");
        }
    }
}
