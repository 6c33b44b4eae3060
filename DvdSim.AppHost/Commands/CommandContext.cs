using System.Diagnostics;
using System.Globalization;
using DvdSim.Dashboard;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Commands;

/// <summary>What a command gets: its parsed options and a way to start the cluster declared in Program.cs.</summary>
internal sealed class CommandContext(
    AppHostOptions hosting,
    bool showSecrets,
    IReadOnlyDictionary<string, string> values,
    IReadOnlyDictionary<string, IReadOnlyList<string>> repeated,
    IReadOnlyList<string> arguments,
    Func<AppHostOptions, AppHostBuilder> declareCluster)
{
    public AppHostOptions Hosting { get; } = hosting;
    /// <summary>--show-secrets: print passwords instead of ********.</summary>
    public bool ShowSecrets { get; } = showSecrets;
    public IReadOnlyList<string> Arguments { get; } = arguments;
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;

    public bool Flag(string option) => values.ContainsKey(option);

    public string? Value(string option) => values.GetValueOrDefault(option);

    /// <summary>Every value of a repeatable option (e.g. --set a=1 --set b=2), in order.</summary>
    public IReadOnlyList<string> Values(string option) => repeated.GetValueOrDefault(option) ?? [];

    public int Int(string option, int defaultValue) =>
        Value(option) is not { } text ? defaultValue
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw new UsageException($"{option} needs a whole number, not '{text}'");

    /// <summary>
    /// Starts the cluster (or only <paramref name="only"/> and what they wait for), printing each
    /// resource as it becomes ready. <paramref name="configure"/> may adjust the declared cluster
    /// first (the bench gives services a strategy). Dispose the result to stop it.
    /// </summary>
    public async Task<RunningCluster> StartClusterAsync(IEnumerable<string>? only = null, CancellationToken cancellationToken = default,
        Action<AppHostBuilder>? configure = null)
    {
        var declared = declareCluster(Hosting);
        configure?.Invoke(declared);
        var cluster = declared.Build();
        var clock = Stopwatch.StartNew();
        var progress = new ResourceProgress(Out, clock);
        cluster.Monitor.ResourceChanged += progress.OnChanged;
        Out.WriteLine($"Starting the DvdSim cluster (data: {cluster.DataDirectory}{(cluster.IsEphemeral ? ", deleted at exit" : "")})");
        DashboardServer? dashboard = null;
        try
        {
            if (only is null)
            {
                // The dashboard comes first: every service sends it telemetry from its first second.
                dashboard = await DashboardServer.StartAsync(new DashboardOptions(), cluster.Monitor,
                    () => TryEndpoint(cluster, RunningCluster.Coordinator), cancellationToken);
                cluster.OtlpEndpoint = dashboard.OtlpEndpoint.ToString().TrimEnd('/');
            }
            await cluster.StartAsync(only, cancellationToken);
        }
        catch (ArgumentException e) when (only is not null)
        {
            await cluster.DisposeAsync();
            throw new UsageException(e.Message);
        }
        catch
        {
            await cluster.DisposeAsync();
            if (dashboard is not null) await dashboard.DisposeAsync();
            throw;
        }
        return new RunningCluster(cluster, Out, dashboard);
    }

    private static Uri? TryEndpoint(Cluster cluster, string resource)
    {
        try { return cluster.GetEndpoint(resource); }
        catch (Exception) { return null; }
    }

}
