using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace DvdSim.Hosting;

/// <summary>
/// What Aspire's app model says about its resources, in DvdSim's terms (<see cref="IResourceMonitor"/>),
/// plus what DCP does not do: each resource's console output in &lt;data&gt;/logs/&lt;resource&gt;.log
/// and a restart, with back-off, of a process that crashed (DCP leaves it exited).
/// </summary>
public sealed class ClusterMonitor : IResourceMonitor, IAsyncDisposable
{
    private readonly ClusterData _data;
    private readonly ResourceNotificationService _notifications;
    private readonly ResourceCommandService _commands;
    private readonly ResourceLoggerService _logs;
    private readonly ConcurrentDictionary<string, ResourceSnapshot> _snapshots = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _followedIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConsoleBuffer> _console = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _environments = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _healthProblems = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _restarts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _stoppedOnPurpose = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _watchers = [];
    private const int ConsoleBufferLines = 2000;

    public ClusterMonitor(DistributedApplication app, ClusterData data)
    {
        _data = data;
        _notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        _commands = app.Services.GetRequiredService<ResourceCommandService>();
        _logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var resource in model.Resources.Where(IsProcess))
        {
            _snapshots[resource.Name] = new ResourceSnapshot(resource.Name, KindOf(resource), ResourceState.NotStarted, null, [], null, 0, null);
            ConsoleOf(resource.Name);
        }
        _watchers.Add(FollowStatesAsync());
        // Ctrl+C: Aspire stops every resource; those exits are not crashes.
        app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping.Register(Stopping);
    }

    /// <summary>
    /// False while the cluster starts: a server that exits then fails the start at once (with its
    /// last words) instead of being restarted for a minute; a service is restarted either way.
    /// </summary>
    public bool Started { get; set; }

    public event Action<ResourceSnapshot>? ResourceChanged;
    public event Action<ConsoleLine>? ConsoleLineWritten;

    public IReadOnlyList<ResourceSnapshot> Resources() => _snapshots.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<ConsoleLine> ConsoleLines(string resource, int max = 1000) =>
        _console.TryGetValue(resource, out var buffer) ? buffer.Last(max) : [];

    /// <summary>What the resource's failing health checks last said ("" when none fails).</summary>
    public string HealthProblems(string resource) => _healthProblems.GetValueOrDefault(resource) ?? "";

    /// <summary>The environment a resource was last started with, as DCP reports it.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string resource) =>
        _environments.GetValueOrDefault(resource) ?? new Dictionary<string, string>();

    public Task StartAsync(string resource, CancellationToken cancellationToken = default)
    {
        _stoppedOnPurpose[resource] = false;
        return ExecuteAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
    }

    public Task StopAsync(string resource, CancellationToken cancellationToken = default)
    {
        _stoppedOnPurpose[resource] = true;
        return ExecuteAsync(resource, KnownResourceCommands.StopCommand, cancellationToken);
    }

    /// <summary>A restart asked for: the exit in between is not a crash.</summary>
    public async Task RestartAsync(string resource, CancellationToken cancellationToken = default)
    {
        _stoppedOnPurpose[resource] = true;
        try { await ExecuteAsync(resource, KnownResourceCommands.RestartCommand, cancellationToken); }
        finally { _stoppedOnPurpose[resource] = false; }
    }

    private async Task ExecuteAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var id = _ids.TryGetValue(resource, out var known) ? known
            : throw new ArgumentException($"there is no running resource named '{resource}' (known: {string.Join(", ", _snapshots.Keys)})");
        var result = await _commands.ExecuteCommandAsync(id, command, cancellationToken);
        if (!result.Success) throw new HostingException($"{resource}: {command} failed: {result.Message}");
    }

    private async Task FollowStatesAsync()
    {
        try
        {
            await foreach (var change in _notifications.WatchAsync(_stop.Token))
            {
                if (!IsProcess(change.Resource)) continue;
                _ids[change.Resource.Name] = change.ResourceId;
                // The console output is kept under DCP's id of the resource (name-suffix), known from now on.
                if (_followedIds.TryAdd(change.ResourceId, true))
                    lock (_watchers) _watchers.Add(FollowConsoleAsync(change.Resource.Name, change.ResourceId));
                if (!change.Snapshot.EnvironmentVariables.IsDefaultOrEmpty)
                    _environments[change.Resource.Name] = change.Snapshot.EnvironmentVariables
                        .Where(e => e.IsFromSpec && e.Value is not null).ToDictionary(e => e.Name, e => e.Value!);
                var problems = change.Snapshot.HealthReports
                    .Where(h => h.Status is not Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy && (h.Description ?? h.ExceptionText) is not null)
                    .Select(h => h.Description ?? h.ExceptionText).ToList();
                _healthProblems[change.Resource.Name] = string.Join("; ", problems);
                var previous = _snapshots.GetValueOrDefault(change.Resource.Name);
                var snapshot = Translate(change.Resource, change.Snapshot, previous);
                _snapshots[change.Resource.Name] = snapshot;
                if (previous is null || previous.State != snapshot.State || previous.ProcessId != snapshot.ProcessId)
                    ResourceChanged?.Invoke(snapshot);
                if (snapshot.State == ResourceState.Exited && previous?.State is not ResourceState.Exited and not ResourceState.Restarting)
                    _ = RestartAfterCrashAsync(snapshot);
            }
        }
        catch (OperationCanceledException) { }
    }

    private ResourceSnapshot Translate(IResource resource, CustomResourceSnapshot snapshot, ResourceSnapshot? previous)
    {
        var state = snapshot.State?.Text switch
        {
            "Running" when snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy => ResourceState.Running,
            "Running" when previous?.State is ResourceState.Running or ResourceState.Unhealthy => ResourceState.Unhealthy,
            "Running" or "Starting" or "Waiting" => ResourceState.Starting,
            "Stopping" => ResourceState.Stopping,
            "Exited" or "Finished" when _stopping.IsCancellationRequested || _stoppedOnPurpose.GetValueOrDefault(resource.Name) => ResourceState.Stopped,
            "Exited" or "Finished" => ResourceState.Exited,
            "FailedToStart" or "RuntimeUnhealthy" => ResourceState.Failed,
            _ => previous?.State ?? ResourceState.NotStarted,
        };
        var pid = snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int value => value,
            long value => (int)value,
            string text when int.TryParse(text, out var parsed) => parsed,
            _ => (int?)null,
        };
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>()
            .Select(e => $"{e.UriScheme}://127.0.0.1:{e.Port ?? e.TargetPort}").ToList();
        return new ResourceSnapshot(resource.Name, KindOf(resource), state,
            state is ResourceState.Exited or ResourceState.Stopped or ResourceState.Failed ? null : pid ?? previous?.ProcessId,
            endpoints, snapshot.StartTimeStamp is { } at ? new DateTimeOffset(at) : previous?.StartedAt,
            _restarts.GetValueOrDefault(resource.Name), snapshot.ExitCode ?? previous?.ExitCode); // the last exit stays reported after a restart
    }

    /// <summary>
    /// A crash (killed, or an exit code other than 0 and SIGTERM's 143) while the cluster runs is
    /// followed by a start after 1, 2, 4 … s (capped at 30 s), up to <see cref="AppHostOptions.MaxRestarts"/>
    /// times; a stop asked for (Ctrl+C, the dashboard's Stop, <see cref="StopAsync"/>) is not.
    /// </summary>
    private async Task RestartAfterCrashAsync(ResourceSnapshot exited)
    {
        if (exited.ExitCode is 0 or 143 || _stopping.IsCancellationRequested || (!Started && exited.Kind != "project")) return;
        var restarts = _restarts.AddOrUpdate(exited.Name, 1, (_, n) => n + 1);
        if (restarts > _data.Options.MaxRestarts)
        {
            var failed = exited with { State = ResourceState.Failed, Restarts = restarts - 1 };
            _snapshots[exited.Name] = failed;
            ResourceChanged?.Invoke(failed);
            return;
        }
        var restarting = exited with { State = ResourceState.Restarting, Restarts = restarts };
        _snapshots[exited.Name] = restarting;
        ResourceChanged?.Invoke(restarting);
        var backoff = TimeSpan.FromTicks(Math.Min(_data.Options.RestartBackoff.Ticks << Math.Min(restarts - 1, 16), TimeSpan.FromSeconds(30).Ticks));
        try
        {
            await Task.Delay(backoff, _stopping.Token);
            await ExecuteAsync(exited.Name, KnownResourceCommands.StartCommand, _stopping.Token);
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            ConsoleOf(exited.Name).Add(new ConsoleLine(exited.Name, DateTimeOffset.UtcNow, true, $"[dvdsim] restart failed: {e.Message}"), ConsoleLineWritten);
        }
    }

    private async Task FollowConsoleAsync(string resource, string resourceId)
    {
        try
        {
            await foreach (var batch in _logs.WatchAsync(resourceId).WithCancellation(_stop.Token))
                foreach (var line in batch)
                    ConsoleOf(resource).Add(Line(resource, line), ConsoleLineWritten);
        }
        catch (OperationCanceledException) { }
    }

    // Aspire 13 adds a hidden "<project>-rebuilder" executable per project, started only by its Rebuild command.
    // The dashboard joins the model as Aspire starts, after this monitor was made.
    private ConsoleBuffer ConsoleOf(string resource) =>
        _console.GetOrAdd(resource, name => new ConsoleBuffer(Path.Combine(_data.LogsPath, name + ".log")));

    /// <summary>DCP puts the time a line was written in front of it: it becomes the line's time.</summary>
    private static ConsoleLine Line(string resource, LogLine line)
    {
        var content = line.Content;
        var space = content.IndexOf(' ');
        return space > 0 && DateTimeOffset.TryParse(content.AsSpan(0, space), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? new ConsoleLine(resource, at, line.IsErrorMessage, content[(space + 1)..])
            : new ConsoleLine(resource, DateTimeOffset.UtcNow, line.IsErrorMessage, content);
    }

    private static bool IsProcess(IResource resource) =>
        resource is ExecutableResource or ProjectResource or ConnectionStringResource && resource.GetType().Name != "ProjectRebuilderResource";

    private static string KindOf(IResource resource) => resource switch
    {
        MariaDbServerResource => "mariadb",
        RabbitMqServerResource => "rabbitmq",
        EpmdResource => "epmd",
        ServiceResource or ProjectResource => "project",
        ConnectionStringResource => "external",
        _ => "executable",
    };

    /// <summary>The cluster is stopping: what exits now has not crashed, and nothing is restarted.</summary>
    public void Stopping() => _stopping.Cancel();

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _stop.CancelAsync();
        Task[] watchers;
        lock (_watchers) watchers = [.. _watchers];
        try { await Task.WhenAll(watchers).WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException) { }
        foreach (var buffer in _console.Values) buffer.Dispose();
    }

    /// <summary>The last lines of one resource in memory, all of them in its log file.</summary>
    private sealed class ConsoleBuffer(string path) : IDisposable
    {
        private readonly Queue<ConsoleLine> _lines = new();
        private readonly StreamWriter _file = new(path, append: true) { AutoFlush = true };
        private readonly Lock _lock = new();

        public void Add(ConsoleLine line, Action<ConsoleLine>? written)
        {
            lock (_lock)
            {
                _lines.Enqueue(line);
                if (_lines.Count > ConsoleBufferLines) _lines.Dequeue();
                try { _file.WriteLine($"{line.At:yyyy-MM-ddTHH:mm:ss.fffZ} {line.Text}"); }
                catch (ObjectDisposedException) { }
            }
            written?.Invoke(line);
        }

        public IReadOnlyList<ConsoleLine> Last(int max)
        {
            lock (_lock) return _lines.Skip(Math.Max(0, _lines.Count - max)).ToList();
        }

        public void Dispose()
        {
            lock (_lock) _file.Dispose();
        }
    }
}
