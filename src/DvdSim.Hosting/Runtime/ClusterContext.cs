using DvdSim.Hosting.Processes;

namespace DvdSim.Hosting.Runtime;

/// <summary>What resources share while a cluster runs: options, data directory, ports, secrets, logs.</summary>
internal sealed class ClusterContext
{
    private readonly Lazy<BuildLayout> _build;
    private readonly Lazy<string> _dotnet;
    private readonly Action<ResourceSnapshot> _changed;
    private readonly Action<ConsoleLine> _consoleLine;

    public ClusterContext(AppHostOptions options, DataDirectory data, string? otlpEndpoint,
        Action<ResourceSnapshot> changed, Action<ConsoleLine> consoleLine)
    {
        Options = options;
        Data = data;
        OtlpEndpoint = otlpEndpoint;
        State = ClusterState.Load(data.Path);
        RunId = Guid.NewGuid().ToString("N")[..12];
        _build = new Lazy<BuildLayout>(() => BuildLayout.Discover(options));
        _dotnet = new Lazy<string>(() => Executables.Dotnet(options.DotnetPath));
        _changed = changed;
        _consoleLine = consoleLine;
    }

    public AppHostOptions Options { get; }
    public DataDirectory Data { get; }
    public ClusterState State { get; }
    public PortAllocator Ports { get; } = new();
    public string? OtlpEndpoint { get; }
    public string RunId { get; }
    public BuildLayout Build => _build.Value;
    public string Dotnet => _dotnet.Value;

    /// <summary>Environment tag of every process this run starts; also inherited by their children.</summary>
    public string OwnerTag(string resource) => $"{RunOwnerPrefix}{resource}";
    public string RunOwnerPrefix => $"{Data.OwnerPrefix}{RunId}|";

    public ResourceLog CreateLog(string resource) =>
        new(resource, Path.Combine(Data.LogsPath, resource + ".log"), Options.ConsoleBufferLines, _consoleLine);

    public SupervisorPolicy Policy(bool restartDuringStartup, int? maxRestarts = null) => new(
        Options.ReadinessTimeout, Options.StopTimeout, maxRestarts ?? Options.MaxRestarts, Options.RestartBackoff, restartDuringStartup);

    public void Changed(ResourceSnapshot snapshot) => _changed(snapshot);
}
