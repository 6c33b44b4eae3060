using System.Diagnostics;
using System.Runtime.InteropServices;
using DvdSim.Hosting.Processes;
using DvdSim.Hosting.Runtime;

namespace DvdSim.Hosting;

/// <summary>
/// The built cluster (Aspire's DistributedApplication): starts resources in dependency order,
/// in parallel where the graph allows, and stops them in reverse order. No process it started
/// outlives it: not after a failed start, not after Ctrl+C, not when the process exits.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private static readonly TimeSpan EmergencyGrace = TimeSpan.FromSeconds(3);

    private readonly AppHostOptions _options;
    private readonly List<Resource> _resources;
    private string? _otlpEndpoint;
    private readonly ClusterMonitor _monitor;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _lock = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private DataDirectory? _data;
    private ClusterContext? _context;
    private Task? _start, _stop;
    private bool _processExitHooked;

    internal Cluster(AppHostOptions options, List<Resource> resources, string? otlpEndpoint)
    {
        _options = options;
        _resources = resources;
        _otlpEndpoint = otlpEndpoint;
        _monitor = new ClusterMonitor(resources);
        DataDirectory = Runtime.DataDirectory.Resolve(options);
    }

    public IResourceMonitor Monitor => _monitor;
    public IReadOnlyList<IResource> Resources => _resources;
    /// <summary>Servers' data, cluster.json (generated passwords), logs/.</summary>
    public string DataDirectory { get; }
    public string LogDirectory => Path.Combine(DataDirectory, "logs");
    public bool IsEphemeral => _options.Ephemeral;
    /// <summary>From the call to StartAsync until every started resource was ready.</summary>
    public TimeSpan? StartupDuration { get; private set; }
    /// <summary>Cancelled when a shutdown was asked for: a signal, <see cref="StopAsync"/> or disposal.</summary>
    public CancellationToken ShutdownRequested => _shutdown.Token;

    public IResource this[string name] => Find(name);

    /// <summary>
    /// Where services send telemetry (OTEL_EXPORTER_OTLP_ENDPOINT). Settable until StartAsync, for a
    /// receiver that needs <see cref="Monitor"/> before its own address is known (the dashboard).
    /// </summary>
    public string? OtlpEndpoint
    {
        get => _otlpEndpoint;
        set
        {
            lock (_lock)
            {
                if (_start is not null) throw new InvalidOperationException("the OTLP endpoint must be set before the cluster starts");
                _otlpEndpoint = value is null ? null : new Uri(value, UriKind.Absolute).ToString().TrimEnd('/');
            }
        }
    }

    /// <summary>The connection string of a server resource (MariaDB: ADO.NET; RabbitMQ: amqp URI).</summary>
    public string GetConnectionString(string resource) =>
        Find(resource) is IResourceWithConnectionString server ? server.ConnectionString
            : throw new ArgumentException($"{resource} has no connection string");

    /// <summary>The http URL of a project resource.</summary>
    public Uri GetEndpoint(string resource) =>
        Find(resource) is IResourceWithHttpEndpoint service ? service.HttpEndpoint
            : throw new ArgumentException($"{resource} has no http endpoint");

    private Resource Find(string name) =>
        _resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"there is no resource named '{name}' (known: {string.Join(", ", _resources.Select(r => r.Name))})");

    /// <summary>Starts every resource; returns once all are ready. On failure everything started is stopped and a <see cref="HostingException"/> says why.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => StartAsync(null, cancellationToken);

    /// <summary>Starts only <paramref name="resources"/> and what they wait for or reference (e.g. just "mysql" to query a kept database).</summary>
    public Task StartAsync(IEnumerable<string>? resources, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_start is not null) throw new InvalidOperationException("the cluster was already started");
            _start = StartCoreAsync(resources?.Select(Find).ToList(), cancellationToken);
            return _start;
        }
    }

    private async Task StartCoreAsync(List<Resource>? only, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        var started = new Dictionary<Resource, Task>();
        try
        {
            HookShutdown();
            _data = await Runtime.DataDirectory.OpenAsync(DataDirectory, _options.Ephemeral, _options.Fresh);
            _context = new ClusterContext(_options, _data, _otlpEndpoint, _monitor.OnChanged, _monitor.OnConsoleLine);
            var selected = TopologicalOrder(only is null ? _resources : Closure(only));
            // Everything that can fail without a process (missing programs, taken ports, missing builds) fails here, before anything starts.
            foreach (var resource in selected) resource.Prepare(_context);

            foreach (var resource in selected)
                started[resource] = StartWhenReadyAsync(resource, resource.WaitsFor.Select(d => started[d]).ToList(), abort);
            await Task.WhenAll(started.Values);
            StartupDuration = clock.Elapsed;
        }
        catch (Exception e)
        {
            var cancelled = _shutdown.IsCancellationRequested || cancellationToken.IsCancellationRequested;
            await StopCoreAsync();
            if (cancelled)
                throw new OperationCanceledException("start-up was cancelled; everything started was stopped", e, cancellationToken);
            var failures = started.Values.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            throw RootCause(failures.Count > 0 ? failures : [e]);
        }
    }

    private static async Task StartWhenReadyAsync(Resource resource, List<Task> dependencies, CancellationTokenSource abort)
    {
        try
        {
            await Task.WhenAll(dependencies);
        }
        catch
        {
            throw new DependencyFailedException();
        }
        try
        {
            await resource.StartAsync(abort.Token);
        }
        catch
        {
            await abort.CancelAsync(); // stop the others from waiting for their readiness in vain
            throw;
        }
    }

    /// <summary>The first resource's own failure (not its dependents' "not started"), or all of them if several failed.</summary>
    private static Exception RootCause(List<Exception> all)
    {
        var failures = all.Where(x => x is not DependencyFailedException and not OperationCanceledException).ToList();
        return failures.Count switch
        {
            0 => all[0],
            1 => failures[0],
            _ => new HostingException(string.Join(Environment.NewLine, failures.Select(f => f.Message)), failures[0]),
        };
    }

    private sealed class DependencyFailedException : Exception;

    private List<Resource> Closure(List<Resource> roots)
    {
        var result = new HashSet<Resource>();
        var stack = new Stack<Resource>(roots);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (!result.Add(next)) continue;
            // What it uses, not only what it waits for: a service may start alongside the broker it references.
            foreach (var dependency in next.Uses) stack.Push(dependency);
        }
        return _resources.Where(result.Contains).ToList();
    }

    /// <summary>Dependencies first; declaration order otherwise. Rejects cycles.</summary>
    private static List<Resource> TopologicalOrder(List<Resource> resources)
    {
        var order = new List<Resource>();
        var state = new Dictionary<Resource, bool>(); // false: visiting, true: done
        void Visit(Resource resource, Stack<string> path)
        {
            if (state.TryGetValue(resource, out var done))
            {
                if (!done) throw new HostingException($"resources wait for each other in a cycle: {string.Join(" -> ", path.Reverse().Append(resource.Name))}");
                return;
            }
            state[resource] = false;
            path.Push(resource.Name);
            foreach (var dependency in resource.WaitsFor) Visit(dependency, path);
            path.Pop();
            state[resource] = true;
            if (resources.Contains(resource)) order.Add(resource);
        }
        foreach (var resource in resources) Visit(resource, new Stack<string>());
        return order;
    }

    /// <summary>Completes when a shutdown was asked for (Ctrl+C, SIGTERM, <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        Task.Delay(Timeout.Infinite, _shutdown.Token).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(cancellationToken);

    /// <summary>Start, wait for a shutdown request, stop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await using var stopOnCancel = cancellationToken.Register(RequestShutdown);
        try
        {
            await StartAsync(cancellationToken);
            await WaitForShutdownAsync(CancellationToken.None);
        }
        finally
        {
            await StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Stops everything in reverse dependency order (SIGTERM, then the process tree is killed after a timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        RequestShutdown();
        Task? start;
        lock (_lock) start = _start;
        if (start is not null)
        {
            try { await start.WaitAsync(cancellationToken); }
            catch (Exception) when (!cancellationToken.IsCancellationRequested) { } // the starter reports it
        }
        await StopCoreAsync().WaitAsync(cancellationToken);
    }

    private void RequestShutdown()
    {
        if (!_shutdown.IsCancellationRequested) _shutdown.Cancel();
    }

    private Task StopCoreAsync()
    {
        lock (_lock) return _stop ??= Task.Run(StopInOrderAsync);
    }

    private async Task StopInOrderAsync()
    {
        RequestShutdown();
        foreach (var level in StopLevels())
            await Task.WhenAll(level.Select(r => r.StopAsync()));
        if (_context is not null) await EndTaggedProcessesAsync(_context.RunOwnerPrefix, EmergencyGrace);
        Release();
    }

    /// <summary>Groups resources so each group only uses resources of later groups: dependents stop first, a group in parallel.</summary>
    private List<List<Resource>> StopLevels()
    {
        var prepared = _resources.Where(r => r.IsPrepared).ToList();
        var depth = new Dictionary<Resource, int>();
        var visiting = new HashSet<Resource>();
        int Depth(Resource resource)
        {
            if (depth.TryGetValue(resource, out var known)) return known;
            if (!visiting.Add(resource)) return 0; // services may reference each other
            var users = prepared.Where(p => p != resource && p.Uses.Contains(resource)).Select(p => Depth(p) + 1);
            visiting.Remove(resource);
            return depth[resource] = users.DefaultIfEmpty(0).Max();
        }
        return prepared.GroupBy(Depth).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
    }

    /// <summary>Last line of defence: every process carrying this run's tag (children, grandchildren, orphans).</summary>
    private static async Task EndTaggedProcessesAsync(string ownerPrefix, TimeSpan grace)
    {
        var left = ProcessTree.WithEnvironment(ChildProcess.OwnerVariable, ownerPrefix, prefix: true);
        if (left.Count == 0) return;
        foreach (var process in left) ProcessTree.Signal(process, ProcessTree.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && left.Any(ProcessTree.IsAlive)) await Task.Delay(50);
        foreach (var process in left) ProcessTree.Signal(process, ProcessTree.SigKill);
    }

    private void Release()
    {
        foreach (var registration in _signals) registration.Dispose();
        _signals.Clear();
        if (_processExitHooked) AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _processExitHooked = false;
        foreach (var resource in _resources) resource.DisposeLog();
        _data?.Dispose();
    }

    private void HookShutdown()
    {
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        _processExitHooked = true;
        if (!_options.HandleShutdownSignals) return;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            _signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // stop in order, then let Main return
        if (!_shutdown.IsCancellationRequested)
        {
            ThreadPool.QueueUserWorkItem(_ => RequestShutdown());
            return;
        }
        // A second Ctrl+C means "now": whatever hangs, nothing is left behind.
        Console.Error.WriteLine("dvdsim: second signal: killing every process and exiting");
        foreach (var resource in _resources) resource.Kill();
        if (_context is not null) EndTaggedProcessesAsync(_context.RunOwnerPrefix, TimeSpan.Zero).GetAwaiter().GetResult();
        Environment.Exit(130);
    }

    /// <summary>The process is exiting without a stop (unhandled exception, a test runner ending): end every child now.</summary>
    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (_context is null) return;
        foreach (var resource in _resources) resource.EndSupervision();
        EndTaggedProcessesAsync(_context.RunOwnerPrefix, EmergencyGrace).GetAwaiter().GetResult();
        _data?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Task? start;
        lock (_lock) start = _start;
        if (start is null) return;
        await StopAsync();
    }
}
