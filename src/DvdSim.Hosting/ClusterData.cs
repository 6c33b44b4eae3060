using DvdSim.Hosting.Processes;
using DvdSim.Hosting.Runtime;

namespace DvdSim.Hosting;

/// <summary>
/// What Aspire does not keep for us: the cluster's data directory (servers' data, logs), the
/// secrets generated for it and the ports chosen last time, in &lt;data&gt;/cluster.json (mode 0600).
/// Opened when the app model is declared, because DCP needs ports and passwords up front; held
/// under a lock until disposed, so a second AppHost cannot share it.
/// </summary>
public sealed class ClusterData : IDisposable
{
    private readonly DataDirectory _directory;
    private readonly ClusterState _state;
    private readonly PortAllocator _ports = new();

    private ClusterData(AppHostOptions options, DataDirectory directory)
    {
        Options = options;
        _directory = directory;
        _state = ClusterState.Load(directory.Path);
        RunId = Guid.NewGuid().ToString("N")[..12];
    }

    public AppHostOptions Options { get; }
    public string Path => _directory.Path;
    public bool IsEphemeral => _directory.IsEphemeral;
    public string LogsPath => _directory.LogsPath;
    public string RunId { get; }

    /// <summary>Creates and locks the directory, ends processes a killed earlier AppHost left, wipes it with --fresh.</summary>
    public static async Task<ClusterData> OpenAsync(AppHostOptions options)
    {
        options.Validate();
        var directory = await DataDirectory.OpenAsync(DataDirectory.Resolve(options), options.Ephemeral, options.Fresh);
        return new ClusterData(options, directory);
    }

    /// <summary>Where one resource keeps its files.</summary>
    public string ResourcePath(string resource)
    {
        var path = _directory.ResourcePath(resource);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The resource's secret, generated once and kept with the data it protects.</summary>
    public string Secret(string resource, string key = "password") => _state.GetOrAdd(resource, key, () => ClusterState.NewSecret());

    /// <summary>A value kept for a resource (e.g. a node name), created once.</summary>
    public string Keep(string resource, string key, Func<string> create) => _state.GetOrAdd(resource, key, create);

    /// <summary>A free port on 127.0.0.1 for the resource: last run's when still free.</summary>
    public int Port(string resource, string key = "port")
    {
        var port = _ports.Allocate(int.TryParse(_state.Get(resource, key), out var last) ? last : null);
        _state.Set(resource, key, port.ToString());
        return port;
    }

    /// <summary>The environment tag of every process started for this directory (found again after a crash).</summary>
    public string OwnerTag(string resource) => $"{_directory.OwnerPrefix}{RunId}|{resource}";
    public string RunOwnerPrefix => $"{_directory.OwnerPrefix}{RunId}|";

    /// <summary>Ends every process still tagged with this run (children, grandchildren, orphans), SIGTERM then SIGKILL.</summary>
    public Task EndLeftoverProcessesAsync(TimeSpan grace) => ProcessTree.EndTaggedAsync(RunOwnerPrefix, grace);

    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _directory.Dispose();
    }
}
