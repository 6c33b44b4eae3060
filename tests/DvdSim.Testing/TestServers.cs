using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DvdSim.Hosting;
using MySqlConnector;
using Xunit;

namespace DvdSim.Testing;

/// <summary>
/// One MariaDB and one RabbitMQ for a test assembly, started by Aspire.Hosting.Testing
/// (DistributedApplicationTestingBuilder) as executables with a temporary data directory, on free
/// ports, so test assemblies can run side by side. Services under test run in an app model of
/// their own against these servers (as --mysql/--rabbitmq do). Use it as an xunit collection fixture:
/// <code>
/// [CollectionDefinition(TestServers.Collection)]
/// public sealed class ServersCollection : ICollectionFixture&lt;TestServers&gt;;
///
/// [Collection(TestServers.Collection)]
/// public sealed class PaymentTests(TestServers servers) { … }
/// </code>
/// Every service, cluster and bus started through it is stopped at the latest when it is disposed.
/// </summary>
public sealed class TestServers : IAsyncLifetime
{
    public const string Collection = "DvdSim servers";
    public const string MySqlName = "mysql", MessagingName = "messaging";

    /// <summary>Resource names the AppHost gives the services (used in services__*, OTEL_SERVICE_NAME).</summary>
    public static IReadOnlyDictionary<string, string> ServiceNames { get; } = new Dictionary<string, string>
    {
        ["DvdSim.SchemaService"] = "schema",
        ["DvdSim.InventoryService"] = "inventory",
        ["DvdSim.TransactionService"] = "transactions",
        ["DvdSim.PaymentService"] = "payments",
        ["DvdSim.Coordinator"] = "coordinator",
    };

    private readonly ConcurrentBag<IAsyncDisposable> _started = [];
    private Cluster? _servers;

    /// <summary>ADO.NET connection string without a database: use <see cref="CreateDatabaseName"/> per test.</summary>
    public string MySqlConnectionString { get; private set; } = "";
    /// <summary>amqp://user:pass@127.0.0.1:port</summary>
    public string RabbitMqUri { get; private set; } = "";
    public IResourceMonitor Monitor => (_servers ?? throw NotStarted()).Monitor;
    /// <summary>The servers' app model (for tests that kill or restart a server).</summary>
    public Cluster Servers => _servers ?? throw NotStarted();
    /// <summary>Where src/&lt;project&gt;/bin/… is looked up; default: the repository holding the test assembly.</summary>
    public string? RepoRoot { get; set; }

    public async Task InitializeAsync()
    {
        var data = await ClusterData.OpenAsync(Options());
        var builder = TestingBuilder.Create();
        builder.AddMariaDb(MySqlName, data);
        builder.AddRabbitMq(MessagingName, data);
        _servers = await Cluster.StartAsync(builder, data, dashboardLoginUrl: null);
        MySqlConnectionString = await _servers.GetConnectionStringAsync(MySqlName);
        RabbitMqUri = await _servers.GetConnectionStringAsync(MessagingName);
    }

    public async Task DisposeAsync()
    {
        while (_started.TryTake(out var leftover))
        {
            try { await leftover.DisposeAsync(); }
            catch (Exception e) { Console.Error.WriteLine($"DvdSim.Testing: stopping a leftover failed: {e.Message}"); }
        }
        if (_servers is not null) await _servers.DisposeAsync();
    }

    /// <summary>A fresh, valid database name for one test, e.g. t_1a2b3c4d.</summary>
    public static string CreateDatabaseName() => "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public string MySqlConnectionStringFor(string database) =>
        new MySqlConnectionStringBuilder(MySqlConnectionString) { Database = database }.ConnectionString;

    /// <summary>An open connection, to <paramref name="database"/> or to none.</summary>
    public async Task<MySqlConnection> OpenConnectionAsync(string? database = null, CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(database is null ? MySqlConnectionString : MySqlConnectionStringFor(database));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// CHECKSUM TABLE by table name: of <paramref name="only"/>, or of every base table of the
    /// database but <paramref name="except"/>. Same scenario and seed ⇒ same checksums.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(string database,
        IEnumerable<string>? only = null, IEnumerable<string>? except = null)
    {
        await using var connection = await OpenConnectionAsync(database);
        var tables = only?.ToList() ?? (await connection.QueryAsync<string>(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @database AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
                new { database }))
            .Except(except ?? []).ToList();
        var sums = new Dictionary<string, string>();
        await using var command = new MySqlCommand("CHECKSUM TABLE " + string.Join(", ", tables.Select(t => $"`{t}`")) + " EXTENDED", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0); // db.table
            sums[table[(table.IndexOf('.') + 1)..]] = Convert.ToString(reader.GetValue(1)) ?? "NULL";
        }
        return sums;
    }

    /// <summary>
    /// Runs one service's built dll (e.g. "DvdSim.PaymentService") against these servers, declared
    /// as in the AppHost, and returns once GET /health answers 200.
    /// </summary>
    public async Task<ServiceHandle> StartServiceAsync(
        string projectName, IReadOnlyDictionary<string, string>? extraEnvironment = null, CancellationToken cancellationToken = default)
    {
        var data = await ClusterData.OpenAsync(Options(external: true));
        var builder = TestingBuilder.Create();
        var (mysql, messaging) = AddServers(builder, data);
        var name = ServiceNameOf(projectName);
        var service = builder.AddService(name, ProjectPath(projectName), data);
        var extra = extraEnvironment ?? new Dictionary<string, string>();
        // A connection string given by the test replaces the reference (Aspire writes references last).
        if (!extra.ContainsKey($"ConnectionStrings__{MySqlName}")) service.WithReference(mysql).WaitFor(mysql);
        if (!extra.ContainsKey($"ConnectionStrings__{MessagingName}")) service.WithReference(messaging).WaitFor(messaging);
        foreach (var (key, value) in extra) service.WithEnvironment(key, value);
        var cluster = await StartTrackedAsync(builder, data, cancellationToken);
        return new ServiceHandle(cluster, service.Resource);
    }

    /// <summary>All five services against these servers, declared as in the AppHost, for end-to-end tests.</summary>
    public async Task<TestCluster> StartClusterAsync(
        IReadOnlyDictionary<string, string>? extraEnvironment = null, CancellationToken cancellationToken = default)
    {
        var data = await ClusterData.OpenAsync(Options(external: true));
        var builder = TestingBuilder.Create();
        var (mysql, messaging) = AddServers(builder, data);
        var services = new List<IResourceBuilder<ServiceResource>>();
        foreach (var (projectName, name) in ServiceNames)
        {
            // As in the AppHost: the services start with the servers, not after them.
            var service = builder.AddService(name, ProjectPath(projectName), data)
                .WithReference(mysql).WithReference(messaging);
            foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>()) service.WithEnvironment(key, value);
            services.Add(service);
        }
        var coordinator = services.Single(s => s.Resource.Name == "coordinator");
        foreach (var other in services.Where(s => s != coordinator)) coordinator.WithReference(other);
        var cluster = await StartTrackedAsync(builder, data, cancellationToken);
        return new TestCluster(cluster);
    }

    /// <summary>A MassTransit bus on these servers' RabbitMQ that receives the message types <paramref name="configure"/> observes.</summary>
    public async Task<TestBus> StartBusAsync(Action<TestBusOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new TestBusOptions();
        configure?.Invoke(options);
        var bus = await TestBus.StartAsync(RabbitMqUri, options, cancellationToken);
        _started.Add(bus);
        return bus;
    }

    private static (IResourceBuilder<IResourceWithConnectionString>, IResourceBuilder<IResourceWithConnectionString>) AddServers(
        IDistributedApplicationBuilder builder, ClusterData data) =>
        (builder.AddMariaDb(MySqlName, data), builder.AddRabbitMq(MessagingName, data));

    private AppHostOptions Options(bool external = false)
    {
        if (external && _servers is null) throw NotStarted();
        return new AppHostOptions
        {
            Ephemeral = true,
            ExternalMySqlConnectionString = external ? MySqlConnectionString : null,
            ExternalRabbitMqUri = external ? RabbitMqUri : null,
        };
    }

    /// <summary>src/&lt;project&gt;/&lt;project&gt;.csproj of the repository holding the test assembly (or <see cref="RepoRoot"/>).</summary>
    private string ProjectPath(string projectName)
    {
        var root = RepoRoot ?? RepositoryRoot.Find();
        return Path.Combine(root, "src", projectName, projectName + ".csproj");
    }

    private async Task<Cluster> StartTrackedAsync(IDistributedApplicationBuilder builder, ClusterData data, CancellationToken cancellationToken)
    {
        // On failure StartAsync has already stopped what it started.
        var cluster = await Cluster.StartAsync(builder, data, dashboardLoginUrl: null, cancellationToken: cancellationToken);
        _started.Add(cluster); // disposing twice is harmless: the handle and this fixture may both do it
        return cluster;
    }

    internal static string ServiceNameOf(string projectName) =>
        ServiceNames.TryGetValue(projectName, out var name) ? name
            : projectName.Replace("DvdSim.", "", StringComparison.Ordinal).Replace("Service", "", StringComparison.Ordinal).ToLowerInvariant();

    private static InvalidOperationException NotStarted() => new("TestServers is not initialised (use it as a collection fixture)");
}
