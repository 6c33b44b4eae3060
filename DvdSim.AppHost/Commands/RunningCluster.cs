using System.Diagnostics;
using System.Text.RegularExpressions;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Commands;

/// <summary>A started cluster, with what commands need from it. Disposing stops it.</summary>
internal sealed partial class RunningCluster : IAsyncDisposable
{
    public const string MySql = "mysql", Messaging = "messaging", Coordinator = "coordinator";
    private readonly TextWriter _output;

    private RunningCluster(Cluster cluster, TextWriter output, string? mySql, string? messaging, WeeksView? weeks)
    {
        Cluster = cluster;
        Weeks = weeks;
        _output = output;
        _mySql = mySql;
        _messaging = messaging;
    }

    private readonly string? _mySql, _messaging;

    public static async Task<RunningCluster> CreateAsync(Cluster cluster, TextWriter output, WeeksView? weeks)
    {
        async Task<string?> TryConnectionString(string name)
        {
            try { return await cluster.GetConnectionStringAsync(name); }
            catch (ArgumentException) { return null; } // not part of a partial start
        }
        return new RunningCluster(cluster, output, await TryConnectionString(MySql), await TryConnectionString(Messaging), weeks);
    }

    public Cluster Cluster { get; }
    /// <summary>DvdSim's weeks view beside the Aspire dashboard; null without the dashboard.</summary>
    public WeeksView? Weeks { get; }
    public IResourceMonitor Monitor => Cluster.Monitor;
    /// <summary>The coordinator's HTTP API, e.g. http://127.0.0.1:41234.</summary>
    public Uri CoordinatorUrl => Cluster.GetEndpoint(Coordinator);
    /// <summary>ADO.NET connection string without a database (each run has its own).</summary>
    public string MySqlConnectionString => _mySql ?? throw new InvalidOperationException("MySQL is not part of this cluster");
    /// <summary>amqp://user:pass@127.0.0.1:port</summary>
    public string MessagingUri => _messaging ?? throw new InvalidOperationException("RabbitMQ is not part of this cluster");
    public TimeSpan StartupDuration => Cluster.StartupDuration;
    /// <summary>Cancelled on Ctrl+C / SIGTERM: long-running commands should stop what they do and return.</summary>
    public CancellationToken ShutdownRequested => Cluster.ShutdownRequested;

    public Task WaitForShutdownAsync() => Cluster.WaitForShutdownAsync();

    /// <summary>The Aspire dashboard's address with its login token (the token is the only way in).</summary>
    public void PrintDashboard()
    {
        if (Cluster.DashboardLoginUrl is { } login) _output.WriteLine($"Dashboard: {login}");
        if (Weeks is not null) _output.WriteLine($"Weeks:     {Weeks.LoginUrl}");
    }

    /// <summary>
    /// The end of simulate/extend: exit now (with --exit, or when the run failed), or stay up for
    /// the dashboard until Ctrl+C. Exit code 0 only when the run completed.
    /// </summary>
    public async Task<int> FinishAsync(CommandContext context, bool completed)
    {
        if (!completed) return 1;
        if (context.Flag("--exit")) return 0;
        _output.WriteLine();
        if (Cluster.DashboardLoginUrl is { } login) _output.WriteLine($"The cluster stays up for the dashboard: {login}");
        if (Weeks is not null) _output.WriteLine($"Every simulated week, by stage: {Weeks.LoginUrl}");
        _output.WriteLine($"Query the database with: {Mask(MySqlConnectionString, context.ShowSecrets)}");
        _output.WriteLine("Press Ctrl+C to stop.");
        await WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Resources with their endpoints, connection strings (passwords masked unless <paramref name="showSecrets"/>), data and log directories.</summary>
    public void PrintSummary(bool showSecrets)
    {
        _output.WriteLine();
        foreach (var resource in Monitor.Resources().Where(r => r.State != ResourceState.NotStarted))
            _output.WriteLine($"  {resource.Name,-15} {resource.Kind,-9} {resource.State.ToString().ToLowerInvariant(),-9} {string.Join(" ", resource.Endpoints)}");
        _output.WriteLine();
        if (_mySql is not null) _output.WriteLine($"  MySQL      {Mask(_mySql, showSecrets)}");
        if (_messaging is not null) _output.WriteLine($"  Messaging  {Mask(_messaging, showSecrets)}");
        var localServers = Monitor.Resources().Any(r => r.Kind is "mariadb" or "rabbitmq");
        if (!showSecrets && localServers) _output.WriteLine($"  Passwords  {Path.Combine(Cluster.Data.Path, "cluster.json")} (or run with --show-secrets)");
        _output.WriteLine($"  Data       {Cluster.Data.Path}{(Cluster.Data.IsEphemeral ? " (deleted at exit)" : " (kept; --fresh wipes it)")}");
        _output.WriteLine($"  Logs       {Cluster.Data.LogsPath}");
        _output.WriteLine();
    }

    public static string Mask(string secretBearing, bool showSecrets) =>
        showSecrets ? secretBearing : UriPassword().Replace(ConnectionStringPassword().Replace(secretBearing, "$1********"), "$1********$2");

    [GeneratedRegex("((?:^|;)\\s*(?:Password|Pwd)\\s*=)[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex("(://[^:/@]+:)[^@]*(@)")]
    private static partial Regex UriPassword();

    public async ValueTask DisposeAsync()
    {
        _output.WriteLine("Stopping the cluster…");
        var clock = Stopwatch.StartNew();
        await Cluster.DisposeAsync();
        if (Weeks is not null) await Weeks.DisposeAsync();
        _output.WriteLine($"Stopped in {clock.Elapsed.TotalSeconds:0.0} s.");
    }
}
