using System.Text.RegularExpressions;
using DvdSim.Hosting.Processes;
using DvdSim.Hosting.Runtime;

namespace DvdSim.Hosting;

public interface IResource
{
    string Name { get; }
    /// <summary>"mariadb", "rabbitmq", "epmd", "project", "executable" or "external".</summary>
    string Kind { get; }
}

/// <summary>A resource others reach by connection string (<c>ConnectionStrings__&lt;name&gt;</c>).</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>Known once the cluster has started preparing (ports and passwords chosen).</summary>
    string ConnectionString { get; }
}

/// <summary>A resource whose process gets its configuration from environment variables.</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource others reach over HTTP (<c>services__&lt;name&gt;__http__0</c>).</summary>
public interface IResourceWithHttpEndpoint : IResource
{
    Uri HttpEndpoint { get; }
}

/// <summary>Something the cluster runs or uses. Declared on the builder; prepared and run by the <see cref="Cluster"/>.</summary>
public abstract partial class Resource : IResource
{
    private ClusterContext? _context;
    private ResourceLog? _log;
    private ResourceState _state = ResourceState.NotStarted; // for resources without a process
    private DateTimeOffset? _startedAt;

    private protected Resource(string name)
    {
        if (!ValidName().IsMatch(name))
            throw new ArgumentException($"resource name '{name}' must start with a letter and hold only letters, digits and '-' (it is used in file names and environment variables)");
        Name = name;
    }

    public string Name { get; }
    public abstract string Kind { get; }
    /// <summary>Where it listens, e.g. "tcp://127.0.0.1:3307", "http://127.0.0.1:5123". Empty before it is prepared.</summary>
    public abstract IReadOnlyList<string> Endpoints { get; }

    /// <summary>Resources that must be ready before this one starts.</summary>
    internal List<Resource> WaitsFor { get; } = [];
    /// <summary>Resources this one uses; it is stopped before them.</summary>
    internal virtual IEnumerable<Resource> Uses => WaitsFor;

    private protected ProcessSupervisor? Supervisor { get; set; }
    private protected ClusterContext Context => _context ?? throw new InvalidOperationException($"{Name} is not part of a started cluster");
    private protected ResourceLog Log => _log ?? throw new InvalidOperationException($"{Name} is not part of a started cluster");
    internal bool IsPrepared => _context is not null;
    internal ResourceLog? ConsoleLog => _log;

    /// <summary>Chooses ports and secrets and checks programs, before anything starts.</summary>
    internal void Prepare(ClusterContext context)
    {
        _context = context;
        _log = context.CreateLog(Name);
        PrepareCore();
    }

    private protected abstract void PrepareCore();

    private protected ProcessSupervisor Supervise(
        bool restartDuringStartup,
        Func<CancellationToken, Task<LaunchSpec>> launch,
        Func<ChildProcess, CancellationToken, Task> waitReady,
        Func<CancellationToken, Task<bool>>? health = null,
        Func<bool>? recoverStartupExit = null,
        int? maxRestarts = null) =>
        Supervisor = new ProcessSupervisor(Name, Context.OwnerTag(Name), Context.Policy(restartDuringStartup, maxRestarts), Log,
            launch, waitReady, health, recoverStartupExit, () => Context.Changed(Snapshot()));

    /// <summary>Starts it and returns once it is ready.</summary>
    internal virtual async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Supervisor is not null)
        {
            await Supervisor.StartAsync(cancellationToken);
            return;
        }
        SetOwnState(ResourceState.Starting);
        try
        {
            await CheckReachableAsync(cancellationToken);
        }
        catch
        {
            SetOwnState(ResourceState.Failed);
            throw;
        }
        _startedAt = DateTimeOffset.UtcNow;
        SetOwnState(ResourceState.Running);
    }

    /// <summary>For resources without a process (external servers): check they answer.</summary>
    private protected virtual Task CheckReachableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal virtual async Task StopAsync()
    {
        if (Supervisor is not null) await Supervisor.StopAsync();
        else if (_state is ResourceState.Running or ResourceState.Starting) SetOwnState(ResourceState.Stopped);
    }

    internal void Kill() => Supervisor?.Kill();
    /// <summary>No more restarts; the process itself is ended by the caller.</summary>
    internal void EndSupervision() => Supervisor?.EndSupervision();

    internal bool HasProcess => Supervisor is not null;

    internal ResourceSnapshot Snapshot() => new(
        Name, Kind,
        Supervisor?.State ?? _state,
        Supervisor?.ProcessId,
        IsPrepared ? Endpoints : [],
        Supervisor?.StartedAt ?? _startedAt,
        Supervisor?.Restarts ?? 0,
        Supervisor?.ExitCode);

    private void SetOwnState(ResourceState state)
    {
        _state = state;
        _context?.Changed(Snapshot());
    }

    internal void DisposeLog() => _log?.Dispose();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,62}$")]
    private static partial Regex ValidName();
}
