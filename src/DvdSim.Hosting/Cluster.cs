using System.Diagnostics;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DvdSim.Hosting;

/// <summary>
/// A started Aspire app model with what Aspire does not keep: the data directory (servers' data,
/// secrets, logs), a monitor of its resources in DvdSim's terms, and a start that returns only
/// once every resource is healthy — or fails, everything stopped, naming the resource and its last
/// words. Disposing stops everything and leaves no process behind.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    /// <summary>The Aspire dashboard's defaults (as the standalone dashboard's), used when free.</summary>
    public const int DashboardPort = 18888, DashboardOtlpPort = 18890;

    private readonly DistributedApplication _app;
    private readonly ClusterMonitor _monitor;
    private int _disposed;

    private Cluster(DistributedApplication app, ClusterData data, ClusterMonitor monitor, Uri? dashboardLogin)
    {
        _app = app;
        Data = data;
        _monitor = monitor;
        DashboardLoginUrl = dashboardLogin;
    }

    public ClusterData Data { get; }
    public IResourceMonitor Monitor => _monitor;
    public DistributedApplication App => _app;
    /// <summary>The Aspire dashboard's address with its login token; null when started without it.</summary>
    public Uri? DashboardLoginUrl { get; }
    /// <summary>From the call to StartAsync until every resource was healthy.</summary>
    public TimeSpan StartupDuration { get; private set; }
    /// <summary>Cancelled when the AppHost is asked to stop (Ctrl+C, SIGTERM) or is stopping.</summary>
    public CancellationToken ShutdownRequested => _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    /// <summary>
    /// An Aspire builder for a DvdSim cluster: the dashboard on 127.0.0.1:18888 (OTLP/HTTP on 18890;
    /// free ports when taken) behind a generated login token, or no dashboard; Aspire's own log
    /// lines at Warning, since the AppHost prints its own progress.
    /// </summary>
    public static IDistributedApplicationBuilder CreateBuilder(bool dashboard, out Uri? dashboardLoginUrl)
    {
        var options = new DistributedApplicationOptions { Args = [], DisableDashboard = !dashboard, AllowUnsecuredTransport = true };
        var builder = DistributedApplication.CreateBuilder(options);
        Configure(builder, dashboard, out dashboardLoginUrl);
        return builder;
    }

    /// <summary>Dashboard addresses, token and logging for a builder made elsewhere (Aspire.Hosting.Testing's).</summary>
    public static void Configure(IDistributedApplicationBuilder builder, bool dashboard, out Uri? dashboardLoginUrl)
    {
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error) // "no trusted development certificate": we serve plain http on loopback
            // Aspire.Hosting.Testing copies every console line of every resource into the log, as
            // errors; the monitor keeps them (logs/<resource>.log) and a failed start quotes them.
            .AddFilter((category, level) => level >= LogLevel.Warning && category?.Contains(".Resources.", StringComparison.Ordinal) != true)
            // A failing health check is logged on every poll while a server boots: that is waiting, not an error.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            // A start that fails is reported once, by name and last words (HostingException), not as the host's stack trace too.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
        dashboardLoginUrl = null;
        if (!dashboard) return;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var ports = new Runtime.PortAllocator();
        var ui = $"http://127.0.0.1:{ports.Allocate(DashboardPort)}";
        builder.Configuration["ASPNETCORE_URLS"] = ui;
        builder.Configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.Allocate(DashboardOtlpPort)}";
        builder.Configuration["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.Allocate()}";
        builder.Configuration["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        builder.Configuration["AppHost:BrowserToken"] = token;
        dashboardLoginUrl = new Uri($"{ui}/login?t={token}");
    }

    /// <summary>
    /// Builds and starts the app model (only <paramref name="only"/> and what they reference or
    /// wait for, when given) and waits until every resource is healthy, at most
    /// <see cref="AppHostOptions.ReadinessTimeout"/>. <paramref name="beforeStart"/> runs between
    /// building and starting (a telemetry receiver the services will send to).
    /// </summary>
    public static async Task<Cluster> StartAsync(IDistributedApplicationBuilder builder, ClusterData data, Uri? dashboardLoginUrl,
        IReadOnlyCollection<string>? only = null, CancellationToken cancellationToken = default, Action<ResourceSnapshot>? onChanged = null,
        Func<IResourceMonitor, Task>? beforeStart = null)
    {
        var clock = Stopwatch.StartNew();
        if (only is not null) KeepOnly(builder, only);
        TagProcesses(builder, data);
        var app = builder.Build();
        var monitor = new ClusterMonitor(app, data);
        if (onChanged is not null) monitor.ResourceChanged += onChanged;
        var cluster = new Cluster(app, data, monitor, dashboardLoginUrl);
        try
        {
            if (beforeStart is not null) await beforeStart(monitor);
            await cluster.StartAndWaitUntilHealthyAsync(cancellationToken);
            monitor.Started = true;
            cluster.StartupDuration = clock.Elapsed;
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection string a resource gives its references (MariaDB: ADO.NET; RabbitMQ: amqp URI).</summary>
    public async Task<string> GetConnectionStringAsync(string resource, CancellationToken cancellationToken = default) =>
        Find(resource) is IResourceWithConnectionString server
            ? await server.GetConnectionStringAsync(cancellationToken) ?? throw new HostingException($"{resource} has no connection string")
            : throw new ArgumentException($"{resource} has no connection string");

    /// <summary>The http URL of a service, e.g. http://127.0.0.1:41234.</summary>
    public Uri GetEndpoint(string resource) =>
        Find(resource) is IResourceWithEndpoints service && service.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == "http") is { } http
            ? new Uri($"http://127.0.0.1:{http.Port ?? http.TargetPort}")
            : throw new ArgumentException($"{resource} has no http endpoint");

    private IResource Find(string name) =>
        _app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"there is no resource named '{name}'");

    /// <summary>The environment a resource was last started with (connection strings, OTEL_*, …).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string resource) => _monitor.EnvironmentOf(resource);

    /// <summary>Completes when a shutdown was asked for (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() =>
        Task.Delay(Timeout.Infinite, ShutdownRequested).ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>
    /// Aspire's StartAsync returns once every resource was created, which waits for whatever a
    /// resource waits for; so a server that exits, or a resource that cannot be started, is
    /// watched for from the start, and the first one ends the wait with its name and last words.
    /// </summary>
    private async Task StartAndWaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var notifications = _app.Services.GetRequiredService<ResourceNotificationService>();
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(Data.Options.ReadinessTimeout);
        var failed = new TaskCompletionSource<ResourceSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(ResourceSnapshot s)
        {
            if (s.State is ResourceState.Failed || (s.State is ResourceState.Exited && s.Kind != "project")) failed.TrySetResult(s);
        }
        _monitor.ResourceChanged += OnChanged;
        try
        {
            var started = _app.StartAsync(startup.Token);
            await WhenStartedOrFailed(started, failed.Task);
            var names = _monitor.Resources().Select(r => r.Name).ToList();
            await WhenStartedOrFailed(Task.WhenAll(names.Select(n => notifications.WaitForResourceHealthyAsync(n, startup.Token))), failed.Task);
        }
        catch (Exception e) when (e is OperationCanceledException or DistributedApplicationException && !cancellationToken.IsCancellationRequested)
        {
            // Aspire gives up on a resource that failed to start, maybe before our monitor saw it fail.
            if (await Task.WhenAny(failed.Task, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)) == failed.Task)
                throw StartFailure(await failed.Task);
            var waiting = _monitor.Resources().Where(r => r.State != ResourceState.Running).ToList();
            throw new HostingException($"not healthy within {Data.Options.ReadinessTimeout.TotalSeconds:0} s: " +
                string.Join(", ", waiting.Select(r => $"{r.Name} ({r.State.ToString().ToLowerInvariant()})")) + "." +
                string.Concat(waiting.Select(r => _monitor.HealthProblems(r.Name) is { Length: > 0 } problem ? $"{Environment.NewLine}{r.Name}: {problem}" : "")) +
                string.Concat(waiting.Select(r => LastWords(r.Name))), e);
        }
        finally
        {
            _monitor.ResourceChanged -= OnChanged;
        }

        async Task WhenStartedOrFailed(Task step, Task<ResourceSnapshot> failure)
        {
            if (await Task.WhenAny(step, failure) == failure)
            {
                await startup.CancelAsync(); // Aspire's start stops waiting too
                throw StartFailure(await failure);
            }
            await step;
        }
    }

    private HostingException StartFailure(ResourceSnapshot resource) =>
        new($"{resource.Name} {(resource.State == ResourceState.Failed ? "failed to start" : "exited")}" +
            (resource.ExitCode is { } code ? $" (exit code {code})" : "") + "." + LastWords(resource.Name));

    private string LastWords(string resource)
    {
        var lines = _monitor.ConsoleLines(resource, 15);
        return lines.Count == 0 ? ""
            : $"{Environment.NewLine}Last lines of {resource} ({Path.Combine(Data.LogsPath, resource + ".log")}):{Environment.NewLine}" +
              string.Join(Environment.NewLine, lines.Select(l => "    " + l.Text));
    }

    /// <summary>
    /// Every process DCP starts carries the run's owner tag, so that whatever outlives a stop (a
    /// grandchild, or everything after the AppHost was killed) is found and ended.
    /// </summary>
    private static void TagProcesses(IDistributedApplicationBuilder builder, ClusterData data)
    {
        foreach (var resource in builder.Resources.Where(r => r is ExecutableResource or ProjectResource).Cast<IResourceWithEnvironment>())
            builder.CreateResourceBuilder(resource).WithEnvironment(Processes.ProcessTree.OwnerVariable, data.OwnerTag(resource.Name));
    }

    /// <summary>Removes every resource that <paramref name="only"/> neither is, references nor waits for.</summary>
    private static void KeepOnly(IDistributedApplicationBuilder builder, IReadOnlyCollection<string> only)
    {
        var byName = builder.Resources.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var name in only)
            if (!byName.ContainsKey(name))
                throw new ArgumentException($"there is no resource named '{name}' (known: {string.Join(", ", byName.Keys.Where(k => !k.EndsWith("-password", StringComparison.Ordinal)))})");
        var keep = new HashSet<IResource>();
        var stack = new Stack<IResource>(only.Select(n => byName[n]));
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (!keep.Add(next)) continue;
            foreach (var wait in next.Annotations.OfType<WaitAnnotation>()) stack.Push(wait.Resource);
            foreach (var reference in next.Annotations.OfType<ResourceRelationshipAnnotation>()) stack.Push(reference.Resource);
        }
        foreach (var resource in builder.Resources.Where(r => !keep.Contains(r) && r is not ParameterResource).ToList())
            builder.Resources.Remove(resource);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _monitor.Stopping();
        try
        {
            using var timeout = new CancellationTokenSource(Data.Options.StopTimeout);
            await _app.StopAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException) { }
        await _monitor.DisposeAsync();
        await _app.DisposeAsync();
        await Data.EndLeftoverProcessesAsync(TimeSpan.FromSeconds(3));
        Data.Dispose();
    }
}
