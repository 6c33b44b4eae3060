using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Commands;

/// <summary>What a command gets: its parsed options and a way to start the cluster declared in Program.cs.</summary>
internal sealed class CommandContext(
    AppHostOptions hosting,
    bool showSecrets,
    IReadOnlyDictionary<string, string> values,
    IReadOnlyDictionary<string, IReadOnlyList<string>> repeated,
    IReadOnlyList<string> arguments,
    Action<IDistributedApplicationBuilder, ClusterData> declareCluster)
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
    /// Starts the cluster declared in Program.cs (or only <paramref name="only"/> and what they
    /// reference or wait for, then without the dashboard), printing each resource as it becomes
    /// ready. <paramref name="configure"/> may adjust the declared model first (the bench gives
    /// services a strategy). Dispose the result to stop it.
    /// </summary>
    public async Task<RunningCluster> StartClusterAsync(IReadOnlyCollection<string>? only = null, CancellationToken cancellationToken = default,
        Action<IDistributedApplicationBuilder>? configure = null, Func<IResourceMonitor, Task>? beforeStart = null, bool dashboard = true)
    {
        var data = await ClusterData.OpenAsync(Hosting);
        WeeksView? weeks = null;
        try
        {
            var builder = Cluster.CreateBuilder(dashboard: dashboard && only is null, out var dashboardLogin);
            declareCluster(builder, data);
            configure?.Invoke(builder);
            if (dashboardLogin is not null) WeeksView.LinkFromAspire(builder, () => weeks);
            Out.WriteLine($"Starting the DvdSim cluster (data: {data.Path}{(data.IsEphemeral ? ", deleted at exit" : "")})");
            var progress = new ResourceProgress(Out, Stopwatch.StartNew());
            Cluster cluster;
            try
            {
                cluster = await Cluster.StartAsync(builder, data, dashboardLogin, only, cancellationToken, progress.OnChanged, async monitor =>
                {
                    if (dashboardLogin is not null) weeks = await WeeksView.StartAsync(dashboardLogin, monitor, cancellationToken);
                    if (beforeStart is not null) await beforeStart(monitor);
                });
            }
            catch (ArgumentException e) when (only is not null)
            {
                throw new UsageException(e.Message);
            }
            return await RunningCluster.CreateAsync(cluster, Out, weeks);
        }
        catch
        {
            if (weeks is not null) await weeks.DisposeAsync();
            data.Dispose();
            throw;
        }
    }
}
