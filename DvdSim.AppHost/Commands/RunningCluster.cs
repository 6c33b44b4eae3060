using System.Diagnostics;
using System.Text.RegularExpressions;
using DvdSim.Dashboard;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Commands;

/// <summary>A started cluster, with what commands need from it. Disposing stops it.</summary>
internal sealed partial class RunningCluster(Cluster cluster, TextWriter output, DashboardServer? dashboard = null) : IAsyncDisposable
{
    public const string MySql = "mysql", Messaging = "messaging", Coordinator = "coordinator";

    public Cluster Cluster { get; } = cluster;
    public IResourceMonitor Monitor => Cluster.Monitor;
    /// <summary>The coordinator's HTTP API, e.g. http://127.0.0.1:41234.</summary>
    public Uri CoordinatorUrl => Cluster.GetEndpoint(Coordinator);
    /// <summary>ADO.NET connection string without a database (each run has its own).</summary>
    public string MySqlConnectionString => Cluster.GetConnectionString(MySql);
    /// <summary>amqp://user:pass@127.0.0.1:port</summary>
    public string MessagingUri => Cluster.GetConnectionString(Messaging);
    public TimeSpan StartupDuration => Cluster.StartupDuration ?? TimeSpan.Zero;
    /// <summary>Cancelled on Ctrl+C / SIGTERM: long-running commands should stop what they do and return.</summary>
    public CancellationToken ShutdownRequested => Cluster.ShutdownRequested;

    public Task WaitForShutdownAsync() => Cluster.WaitForShutdownAsync();

    public DashboardServer? Dashboard { get; } = dashboard;

    /// <summary>The dashboard's address with its login token (the token is the only way in).</summary>
    public void PrintDashboard()
    {
        if (Dashboard is not null) output.WriteLine($"Dashboard: {Dashboard.LoginUrl}");
    }

    /// <summary>
    /// The end of simulate/extend: exit now (with --exit, or when the run failed), or stay up for
    /// the dashboard until Ctrl+C. Exit code 0 only when the run completed.
    /// </summary>
    public async Task<int> FinishAsync(CommandContext context, bool completed)
    {
        if (!completed) return 1;
        if (context.Flag("--exit")) return 0;
        output.WriteLine();
        if (Dashboard is not null) output.WriteLine($"The cluster stays up for the dashboard: {Dashboard.LoginUrl}");
        output.WriteLine($"Query the database with: {Mask(MySqlConnectionString, context.ShowSecrets)}");
        output.WriteLine("Press Ctrl+C to stop.");
        await WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Resources with their endpoints, connection strings (passwords masked unless <paramref name="showSecrets"/>), data and log directories.</summary>
    public void PrintSummary(bool showSecrets)
    {
        output.WriteLine();
        foreach (var resource in Monitor.Resources().Where(r => r.State != ResourceState.NotStarted))
            output.WriteLine($"  {resource.Name,-15} {resource.Kind,-9} {resource.State.ToString().ToLowerInvariant(),-9} {string.Join(" ", resource.Endpoints)}");
        output.WriteLine();
        if (Started(MySql)) output.WriteLine($"  MySQL      {Mask(MySqlConnectionString, showSecrets)}");
        if (Started(Messaging)) output.WriteLine($"  Messaging  {Mask(MessagingUri, showSecrets)}");
        var localServers = Monitor.Resources().Any(r => r.Kind is "mariadb" or "rabbitmq");
        if (!showSecrets && localServers) output.WriteLine($"  Passwords  {Path.Combine(Cluster.DataDirectory, "cluster.json")} (or run with --show-secrets)");
        output.WriteLine($"  Data       {Cluster.DataDirectory}{(Cluster.IsEphemeral ? " (deleted at exit)" : " (kept; --fresh wipes it)")}");
        output.WriteLine($"  Logs       {Cluster.LogDirectory}");
        output.WriteLine();
    }

    private bool Started(string name) => Monitor.Resources().Any(r => r.Name == name && r.State != ResourceState.NotStarted);

    public static string Mask(string secretBearing, bool showSecrets) =>
        showSecrets ? secretBearing : UriPassword().Replace(ConnectionStringPassword().Replace(secretBearing, "$1********"), "$1********$2");

    [GeneratedRegex("((?:^|;)\\s*(?:Password|Pwd)\\s*=)[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex("(://[^:/@]+:)[^@]*(@)")]
    private static partial Regex UriPassword();

    public async ValueTask DisposeAsync()
    {
        output.WriteLine("Stopping the cluster…");
        var clock = Stopwatch.StartNew();
        await Cluster.DisposeAsync();
        if (Dashboard is not null) await Dashboard.DisposeAsync();
        output.WriteLine($"Stopped in {clock.Elapsed.TotalSeconds:0.0} s.");
    }
}
