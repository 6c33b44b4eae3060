namespace DvdSim.Hosting.Processes;

internal sealed record SupervisorPolicy(
    TimeSpan ReadinessTimeout,
    TimeSpan StopGrace,
    int MaxRestarts,
    TimeSpan RestartBackoff,
    // Servers fail start-up at once when they exit before ready; services get restarts
    // (a service may lose a race with a broker that is still warming up).
    bool RestartDuringStartup);

/// <summary>
/// Runs one resource's process: launch, readiness, health, restarts with back-off after a
/// crash, and stop. Only the supervision loop touches the child, so states never race.
/// </summary>
internal sealed class ProcessSupervisor
{
    private static readonly TimeSpan HealthyRunResetsCrashCount = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private const int PortConflictRetries = 2;

    private readonly string _name;
    private readonly string _ownerTag;
    private readonly SupervisorPolicy _policy;
    private readonly ResourceLog _log;
    private readonly Func<CancellationToken, Task<LaunchSpec>> _launch;
    private readonly Func<ChildProcess, CancellationToken, Task> _waitReady;
    private readonly Func<CancellationToken, Task<bool>>? _health;
    private readonly Func<bool>? _recoverStartupExit;
    private readonly Action _changed;
    private readonly Lock _gate = new();

    private Task? _loop;
    private CancellationTokenSource? _stopping;
    private TaskCompletionSource _ready = NewReady();
    private ChildProcess? _child;

    /// <param name="recoverStartupExit">
    /// Called when the process exited before it was ready; returning true relaunches it
    /// (used to pick new ports after losing a free port to another process).
    /// </param>
    public ProcessSupervisor(
        string name, string ownerTag, SupervisorPolicy policy, ResourceLog log,
        Func<CancellationToken, Task<LaunchSpec>> launch,
        Func<ChildProcess, CancellationToken, Task> waitReady,
        Func<CancellationToken, Task<bool>>? health,
        Func<bool>? recoverStartupExit,
        Action changed)
    {
        _name = name;
        _ownerTag = ownerTag;
        _policy = policy;
        _log = log;
        _launch = launch;
        _waitReady = waitReady;
        _health = health;
        _recoverStartupExit = recoverStartupExit;
        _changed = changed;
    }

    public ResourceState State { get; private set; } = ResourceState.NotStarted;
    public int? ProcessId => _child is { HasExited: false } child ? child.Pid : null;
    public DateTimeOffset? StartedAt { get; private set; }
    public int Restarts { get; private set; }
    public int? ExitCode { get; private set; }

    private static TaskCompletionSource NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts the process if it is not running and returns once it is ready (or throws why not).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_gate)
        {
            if (_loop is null || _loop.IsCompleted)
            {
                _stopping?.Dispose();
                _stopping = new CancellationTokenSource();
                _ready = NewReady();
                var token = _stopping.Token;
                _loop = Task.Run(() => SuperviseAsync(token), CancellationToken.None);
            }
            ready = _ready.Task;
        }
        return ready.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the process (SIGTERM, then its whole tree is killed after the grace period) and ends supervision.</summary>
    public async Task StopAsync()
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
            if (loop is null || loop.IsCompleted) return;
            SetState(ResourceState.Stopping);
            _stopping!.Cancel();
        }
        await loop;
    }

    /// <summary>Ends supervision (no restart) and lets the loop stop the process; does not wait.</summary>
    public void EndSupervision()
    {
        lock (_gate) _stopping?.Cancel();
    }

    /// <summary>Immediate SIGKILL of the process tree, for a forced shutdown.</summary>
    public void Kill()
    {
        lock (_gate) _stopping?.Cancel();
        _child?.Kill();
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        var everReady = false;
        var consecutiveCrashes = 0;
        var portRetries = 0;
        while (true)
        {
            SetState(ResourceState.Starting);
            ChildProcess child;
            LogFileFollower? follower = null;
            try
            {
                var spec = await _launch(stop);
                stop.ThrowIfCancellationRequested();
                if (spec.LogFile is not null) follower = new LogFileFollower(spec.LogFile, _log);
                child = ChildProcess.Start(spec, _ownerTag, _log);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                if (follower is not null) await follower.DisposeAsync();
                Finish(ResourceState.Stopped, new OperationCanceledException($"{_name} was stopped before it was ready."));
                return;
            }
            catch (Exception e)
            {
                if (follower is not null) await follower.DisposeAsync();
                Finish(ResourceState.Failed, e as HostingException ?? new HostingException($"{_name}: could not start: {e.Message}", e));
                return;
            }

            _child = child;
            StartedAt = child.StartedAt;
            _log.Write($"[dvdsim] started pid {child.Pid}");
            SetState(ResourceState.Starting);

            var outcome = await WaitReadyAsync(child, stop);
            if (outcome == Readiness.Ready)
            {
                everReady = true;
                SetState(ResourceState.Running);
                _ready.TrySetResult();
                await RunUntilExitOrStopAsync(child, stop);
            }

            if (stop.IsCancellationRequested)
            {
                await child.StopAsync(_policy.StopGrace);
                if (follower is not null) await follower.DisposeAsync();
                _log.Write($"[dvdsim] stopped (exit code {ExitCodeOf(child)})");
                ExitCode = ExitCodeOf(child);
                Finish(ResourceState.Stopped, new OperationCanceledException($"{_name} was stopped before it was ready."));
                return;
            }

            if (outcome == Readiness.TimedOut)
            {
                await child.StopAsync(TimeSpan.FromSeconds(2));
                if (follower is not null) await follower.DisposeAsync();
                Finish(ResourceState.Failed, new HostingException(
                    $"{_name} was not ready within {_policy.ReadinessTimeout.TotalSeconds:0.#} s.{LogTail()}"));
                return;
            }
            if (outcome is Readiness.Error)
            {
                await child.StopAsync(TimeSpan.FromSeconds(2));
                if (follower is not null) await follower.DisposeAsync();
                Finish(ResourceState.Failed, _readinessError!);
                return;
            }

            // The process exited on its own.
            var exitCode = await child.Exited;
            var ranFor = DateTimeOffset.UtcNow - child.StartedAt;
            await child.EndSurvivorsAsync(TimeSpan.FromSeconds(2)); // orphans would hold its ports
            await child.WaitForOutputAsync();
            child.Dispose();
            if (follower is not null) await follower.DisposeAsync();
            ExitCode = exitCode;
            _child = null;
            _log.Write($"[dvdsim] exited with code {exitCode}", isError: true);
            SetState(ResourceState.Exited);

            if (!everReady && !_policy.RestartDuringStartup)
            {
                if (portRetries < PortConflictRetries && _recoverStartupExit?.Invoke() == true)
                {
                    portRetries++;
                    _log.Write("[dvdsim] port taken meanwhile: retrying on new ports");
                    continue;
                }
                Finish(ResourceState.Failed, new HostingException(
                    $"{_name} exited during start-up (exit code {exitCode}).{LogTail()}"));
                return;
            }

            if (everReady && ranFor >= HealthyRunResetsCrashCount) consecutiveCrashes = 0;
            if (consecutiveCrashes >= _policy.MaxRestarts)
            {
                Finish(ResourceState.Failed, new HostingException(
                    $"{_name} exited with code {exitCode} and was restarted {consecutiveCrashes} times in a row; giving up.{LogTail()}"));
                return;
            }
            consecutiveCrashes++;
            Restarts++;
            SetState(ResourceState.Restarting);
            var backoff = TimeSpan.FromTicks(Math.Min(
                MaxBackoff.Ticks, _policy.RestartBackoff.Ticks * (1L << Math.Min(consecutiveCrashes - 1, 20))));
            _log.Write($"[dvdsim] restart {Restarts} in {backoff.TotalSeconds:0.##} s", isError: true);
            try { await Task.Delay(backoff, stop); }
            catch (OperationCanceledException)
            {
                Finish(ResourceState.Stopped, new OperationCanceledException($"{_name} was stopped before it was ready."));
                return;
            }
        }
    }

    private enum Readiness { Ready, Exited, TimedOut, Stopped, Error }
    private Exception? _readinessError;

    private async Task<Readiness> WaitReadyAsync(ChildProcess child, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(_policy.ReadinessTimeout);
        using var probeCancel = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        var probe = _waitReady(child, probeCancel.Token);
        var first = await Task.WhenAny(probe, child.Exited);
        if (first != probe)
        {
            await probeCancel.CancelAsync();
            await probe.ContinueWith(_ => { }, TaskScheduler.Default); // observe
            return Readiness.Exited;
        }
        if (probe.IsCompletedSuccessfully) return Readiness.Ready;
        if (stop.IsCancellationRequested) return Readiness.Stopped;
        if (timeout.IsCancellationRequested) return Readiness.TimedOut;
        if (child.HasExited) return Readiness.Exited;
        _readinessError = probe.Exception?.InnerException as HostingException
            ?? new HostingException($"{_name}: readiness check failed: {probe.Exception?.InnerException?.Message}", probe.Exception!);
        return Readiness.Error;
    }

    private async Task RunUntilExitOrStopAsync(ChildProcess child, CancellationToken stop)
    {
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var health = _health is null ? Task.CompletedTask : WatchHealthAsync(watch.Token);
        await Task.WhenAny(child.Exited, Task.Delay(Timeout.Infinite, stop));
        await watch.CancelAsync();
        await health;
    }

    private async Task WatchHealthAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(2), token); }
            catch (OperationCanceledException) { return; }
            bool healthy;
            try { healthy = await _health!(token); }
            catch (OperationCanceledException) { return; }
            if (token.IsCancellationRequested) return;
            if (healthy && State == ResourceState.Unhealthy) SetState(ResourceState.Running);
            else if (!healthy && State == ResourceState.Running) SetState(ResourceState.Unhealthy);
        }
    }

    private string LogTail()
    {
        var tail = _log.Tail(25);
        var where = _log.FilePath is null ? "" : $" (full log: {_log.FilePath})";
        return tail.Length == 0 ? $" It printed nothing{where}." : $" Last lines{where}:{Environment.NewLine}{tail}";
    }

    private static int? ExitCodeOf(ChildProcess child) =>
        child.Exited.IsCompletedSuccessfully ? child.Exited.Result : null;

    private void Finish(ResourceState state, Exception readyError)
    {
        _child = null;
        SetState(state);
        if (state == ResourceState.Failed) _log.Write($"[dvdsim] failed: {readyError.Message}", isError: true);
        _ready.TrySetException(readyError);
        _ready.Task.Exception?.Handle(_ => true); // nobody may be waiting any more
    }

    private void SetState(ResourceState state)
    {
        State = state;
        _changed();
    }
}
