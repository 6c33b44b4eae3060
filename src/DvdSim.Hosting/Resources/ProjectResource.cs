using System.Net;
using DvdSim.Hosting.Processes;

namespace DvdSim.Hosting;

/// <summary>
/// A project of this repository, run from its build output (<c>dotnet src/X/bin/&lt;Configuration&gt;/net10.0/X.dll</c>),
/// as Aspire does: no <c>dotnet run</c>, which re-checks the build on every start. Ready once GET /health returns 200.
/// </summary>
public sealed class ProjectResource : ServiceResource, IResourceWithHttpEndpoint
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
    private string _dll = "", _dotnet = "";
    private int _port;

    internal ProjectResource(string name, string projectName) : base(name) => ProjectName = projectName;

    public string ProjectName { get; }
    public override string Kind => "project";
    public override IReadOnlyList<string> Endpoints => [HttpEndpoint.ToString().TrimEnd('/')];
    public Uri HttpEndpoint => _port == 0
        ? throw new InvalidOperationException($"{Name} has no endpoint: it is not part of the started cluster")
        : new($"http://127.0.0.1:{_port}");
    /// <summary>The built dll this resource runs.</summary>
    public string DllPath => _dll;

    private protected override void PrepareCore()
    {
        _dll = Context.Build.ProjectDll(Name, ProjectName);
        _dotnet = Context.Dotnet;
        _port = AllocatePort();
        Supervise(restartDuringStartup: true, LaunchAsync, WaitReadyAsync, IsHealthyAsync, maxRestarts: MaxRestarts);
    }

    /// <summary>The smallest gen0 budget a service gets (hex, as the runtime reads it): 64 MiB.</summary>
    public const string Gen0Budget = "4000000";

    private protected override void AddLaunchEnvironment(Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_URLS"] = HttpEndpoint.ToString().TrimEnd('/');
        // A larger gen0 budget than workstation GC's cache-sized default: a service allocates its
        // week's SQL and messages (hundreds of KB) many times a second, and with the default it
        // collected so often that a 10-year run spent about 1 CPU second more in the GC, for
        // 30–70 MB less memory per service. Only settable from the environment (no runtimeconfig
        // name); a value the AppHost itself was started with is kept.
        if (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null)
            environment["DOTNET_GCgen0size"] = Gen0Budget;
    }

    private Task<LaunchSpec> LaunchAsync(CancellationToken cancellationToken)
    {
        var environment = BuildEnvironment();
        LastEnvironment = environment;
        return Task.FromResult(new LaunchSpec(_dotnet, [_dll], WorkingDirectory ?? Path.GetDirectoryName(_dll)!, environment));
    }

    private Task WaitReadyAsync(ChildProcess child, CancellationToken cancellationToken) =>
        ReadinessProbes.PollAsync(IsHealthyAsync, TimeSpan.FromMilliseconds(200), cancellationToken);

    private async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(HttpEndpoint, "/health"), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
