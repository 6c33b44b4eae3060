namespace DvdSim.Hosting;

/// <summary>Entry point, shaped like Aspire's <c>DistributedApplication.CreateBuilder</c>.</summary>
public static class AppHost
{
    /// <summary>A builder configured from hosting options on the command line (<see cref="AppHostOptions.Parse"/>).</summary>
    public static AppHostBuilder CreateBuilder(string[] args) => new(AppHostOptions.Parse(args));

    public static AppHostBuilder CreateBuilder(AppHostOptions? options = null) => new(options ?? new AppHostOptions());
}

/// <summary>Declares the cluster: servers, projects, executables and how they depend on each other.</summary>
public sealed class AppHostBuilder
{
    private readonly List<Resource> _resources = [];
    private string? _otlpEndpoint;
    private bool _built;

    internal AppHostBuilder(AppHostOptions options) => Options = options;

    public AppHostOptions Options { get; }
    public IReadOnlyList<IResource> Resources => _resources;

    /// <summary>A MariaDB server (or the external one from <see cref="AppHostOptions.ExternalMySqlConnectionString"/>).</summary>
    public IResourceBuilder<MariaDbResource> AddMariaDb(string name, int? port = null) => Add(new MariaDbResource(name, port));

    /// <summary>A RabbitMQ node with its own epmd (resource "&lt;name&gt;-epmd"), or the external broker from <see cref="AppHostOptions.ExternalRabbitMqUri"/>.</summary>
    public IResourceBuilder<RabbitMqResource> AddRabbitMq(string name, int? port = null)
    {
        EpmdResource? epmd = null;
        if (Options.ExternalRabbitMqUri is null) Add(epmd = new EpmdResource(name + "-epmd"));
        return Add(new RabbitMqResource(name, port, epmd));
    }

    /// <summary>A project under src/ (e.g. "DvdSim.PaymentService"), run from its build output.</summary>
    public IResourceBuilder<ProjectResource> AddProject(string name, string projectName) => Add(new ProjectResource(name, projectName));

    /// <summary>Any program: a path, or a name found in PATH.</summary>
    public IResourceBuilder<ExecutableResource> AddExecutable(string name, string command, params string[] args) =>
        Add(new ExecutableResource(name, command, args));

    /// <summary>Where services send telemetry (OTEL_EXPORTER_OTLP_ENDPOINT, http/protobuf).</summary>
    public AppHostBuilder WithOtlpEndpoint(string url)
    {
        _otlpEndpoint = new Uri(url, UriKind.Absolute).ToString().TrimEnd('/');
        return this;
    }

    public Cluster Build()
    {
        if (_built) throw new InvalidOperationException("Build() was already called");
        Options.Validate();
        _built = true;
        return new Cluster(Options, _resources, _otlpEndpoint);
    }

    private ResourceBuilder<T> Add<T>(T resource) where T : Resource
    {
        if (_built) throw new InvalidOperationException("resources cannot be added after Build()");
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"a resource named '{resource.Name}' already exists");
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }
}
