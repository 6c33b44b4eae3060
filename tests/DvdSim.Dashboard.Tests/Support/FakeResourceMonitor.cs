using System.Collections.Concurrent;
using DvdSim.Hosting;

namespace DvdSim.Dashboard.Tests.Support;

/// <summary>An orchestrator stand-in: a few resources whose state the Start/Stop/Restart calls change, and console lines on demand.</summary>
internal sealed class FakeResourceMonitor : IResourceMonitor
{
    private readonly object _gate = new();
    private readonly List<ResourceSnapshot> _resources = new();
    private readonly ConcurrentDictionary<string, List<ConsoleLine>> _lines = new();
    private Action<ConsoleLine>? _consoleLineWritten;
    private int _nextProcessId = 4100;

    public FakeResourceMonitor(params string[] projectNames)
    {
        foreach (var name in projectNames)
        {
            _resources.Add(new ResourceSnapshot(name, "project", ResourceState.Running, _nextProcessId++,
                [$"http://127.0.0.1:{5100 + _resources.Count}"], DateTimeOffset.UtcNow.AddMinutes(-2), 0, null));
        }
    }

    public ConcurrentQueue<(string Action, string Resource)> Calls { get; } = new();

    public int ConsoleSubscriberCount { get { lock (_gate) return _consoleLineWritten?.GetInvocationList().Length ?? 0; } }

    public void Add(ResourceSnapshot snapshot)
    {
        lock (_gate) _resources.Add(snapshot);
    }

    public IReadOnlyList<ResourceSnapshot> Resources()
    {
        lock (_gate) return _resources.ToArray();
    }

    public IReadOnlyList<ConsoleLine> ConsoleLines(string resource, int max = 1000)
    {
        var lines = _lines.GetOrAdd(resource, _ => new List<ConsoleLine>());
        lock (lines) return lines.TakeLast(max).ToArray();
    }

    public event Action<ResourceSnapshot>? ResourceChanged;

    public event Action<ConsoleLine>? ConsoleLineWritten
    {
        add { lock (_gate) _consoleLineWritten += value; }
        remove { lock (_gate) _consoleLineWritten -= value; }
    }

    public ConsoleLine WriteConsole(string resource, string text, bool isError = false)
    {
        var line = new ConsoleLine(resource, DateTimeOffset.UtcNow, isError, text);
        var lines = _lines.GetOrAdd(resource, _ => new List<ConsoleLine>());
        lock (lines) lines.Add(line);
        Action<ConsoleLine>? handlers;
        lock (_gate) handlers = _consoleLineWritten;
        handlers?.Invoke(line);
        return line;
    }

    public Task StartAsync(string resource, CancellationToken cancellationToken = default) =>
        Change("start", resource, r => r with { State = ResourceState.Running, ProcessId = _nextProcessId++, StartedAt = DateTimeOffset.UtcNow, ExitCode = null });

    public Task StopAsync(string resource, CancellationToken cancellationToken = default) =>
        Change("stop", resource, r => r with { State = ResourceState.Stopped, ProcessId = null, ExitCode = 0 });

    public Task RestartAsync(string resource, CancellationToken cancellationToken = default) =>
        Change("restart", resource, r => r with
        {
            State = ResourceState.Running, ProcessId = _nextProcessId++, StartedAt = DateTimeOffset.UtcNow, Restarts = r.Restarts + 1, ExitCode = null,
        });

    private Task Change(string action, string resource, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        Calls.Enqueue((action, resource));
        ResourceSnapshot updated;
        lock (_gate)
        {
            var index = _resources.FindIndex(r => r.Name == resource);
            if (index < 0) throw new InvalidOperationException($"No resource {resource}.");
            updated = _resources[index] = change(_resources[index]);
        }
        ResourceChanged?.Invoke(updated);
        return Task.CompletedTask;
    }
}
