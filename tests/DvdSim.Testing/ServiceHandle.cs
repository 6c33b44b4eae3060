using DvdSim.Hosting;

namespace DvdSim.Testing;

/// <summary>One service running as a child process against the test servers. Disposing stops it.</summary>
public sealed class ServiceHandle : IAsyncDisposable
{
    private readonly Cluster _cluster;
    private readonly ServiceResource _service;

    internal ServiceHandle(Cluster cluster, ServiceResource service)
    {
        _cluster = cluster;
        _service = service;
    }

    /// <summary>Resource name, e.g. "payments".</summary>
    public string Name => _service.Name;
    public string ProjectName => Path.GetFileNameWithoutExtension(_service.ProjectPath);
    /// <summary>http://127.0.0.1:port (its ASPNETCORE_URLS).</summary>
    public Uri BaseUrl => _cluster.GetEndpoint(Name);
    /// <summary>The current process id (it changes when the service is restarted after a crash); null while not running.</summary>
    public int? ProcessId => Snapshot.ProcessId;
    public ResourceSnapshot Snapshot => _cluster.Monitor.Resources().Single(r => r.Name == Name);
    /// <summary>The environment variables it was started with (connection strings, OTEL_*, ASPNETCORE_URLS, …), as DCP reports them.</summary>
    public IReadOnlyDictionary<string, string> Environment => _cluster.EnvironmentOf(Name);
    public IResourceMonitor Monitor => _cluster.Monitor;

    /// <summary>Its console output so far, oldest first.</summary>
    public IReadOnlyList<string> ConsoleLines => Monitor.ConsoleLines(Name, int.MaxValue).Select(l => l.Text).ToList();
    public string ConsoleText => string.Join(System.Environment.NewLine, ConsoleLines);

    public HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseUrl };

    /// <summary>SIGKILL, as a crash: the orchestrator restarts it with back-off. Await <see cref="WaitUntilRunningAsync"/> after.</summary>
    public void Crash()
    {
        if (ProcessId is { } pid) System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
    }

    /// <summary>Waits until the service is Running (healthy) with at least <paramref name="restarts"/> restarts.</summary>
    public async Task WaitUntilRunningAsync(int restarts = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (Snapshot is var s && !(s.State == ResourceState.Running && s.Restarts >= restarts))
        {
            if (s.State == ResourceState.Failed) throw new InvalidOperationException($"{Name} failed:{System.Environment.NewLine}{ConsoleText}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} is {s.State} after {s.Restarts} restarts:{System.Environment.NewLine}{ConsoleText}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls <paramref name="done"/> until it holds; on timeout the error names <paramref name="what"/> and shows what the service said.</summary>
    public async Task WaitForAsync(string what, Func<bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no {what} within {timeout.TotalSeconds} s; {Name} said:\n" + string.Join("\n", ConsoleLines.TakeLast(40)));
            await Task.Delay(25);
        }
    }

    public Task StopAsync() => Monitor.StopAsync(Name);
    public Task StartAsync() => Monitor.StartAsync(Name);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
