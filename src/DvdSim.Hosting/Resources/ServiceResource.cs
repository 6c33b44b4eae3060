namespace DvdSim.Hosting;

/// <summary>
/// A program the cluster runs and configures the way .NET Aspire does: connection strings,
/// service URLs and OpenTelemetry settings in environment variables. Restarted after a crash.
/// </summary>
public abstract class ServiceResource : Resource, IResourceWithEnvironment
{
    private readonly List<IResourceWithConnectionString> _connectionReferences = [];
    private readonly List<IResourceWithHttpEndpoint> _serviceReferences = [];
    private readonly Dictionary<string, string> _environment = [];
    private int _launches;

    private protected ServiceResource(string name) : base(name) { }

    internal int? MaxRestarts { get; set; }
    internal string? WorkingDirectory { get; set; }

    internal override IEnumerable<Resource> Uses =>
        WaitsFor.Concat(_connectionReferences.OfType<Resource>()).Concat(_serviceReferences.OfType<Resource>()).Distinct();

    internal void AddReference(IResourceWithConnectionString resource) => _connectionReferences.Add(resource);
    internal void AddReference(IResourceWithHttpEndpoint resource) => _serviceReferences.Add(resource);
    internal void SetEnvironment(string key, string value) => _environment[key] = value;

    /// <summary>The environment of the next launch; references are read now, so a server's port chosen late is seen.</summary>
    internal Dictionary<string, string> BuildEnvironment()
    {
        _launches++;
        var environment = new Dictionary<string, string>();
        foreach (var reference in _connectionReferences)
            environment[$"ConnectionStrings__{reference.Name}"] = reference.ConnectionString;
        foreach (var service in _serviceReferences)
            environment[$"services__{service.Name}__http__0"] = service.HttpEndpoint.ToString().TrimEnd('/');
        if (Context.OtlpEndpoint is { } otlp)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
            // Aspire's local-development export intervals: telemetry shows up within a second.
            environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        }
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_SERVICE_NAME"] = Name;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Name}-{_launches}";
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        AddLaunchEnvironment(environment);
        foreach (var (key, value) in _environment) environment[key] = value;
        return environment;
    }

    private protected virtual void AddLaunchEnvironment(Dictionary<string, string> environment) { }

    /// <summary>The environment variables the last launch got (for tests and diagnostics).</summary>
    public IReadOnlyDictionary<string, string> LastEnvironment { get; private protected set; } = new Dictionary<string, string>();

    private protected int AllocatePort()
    {
        var port = Context.Ports.Allocate(int.TryParse(Context.State.Get(Name, "port"), out var last) ? last : null);
        Context.State.Set(Name, "port", port.ToString());
        return port;
    }
}
