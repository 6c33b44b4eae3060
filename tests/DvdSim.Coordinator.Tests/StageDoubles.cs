using System.Collections.Concurrent;
using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Scenarios;
using DvdSim.SchemaService.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace DvdSim.Coordinator.Tests;

/// <summary>A week the coordinator started, and how many weeks the doubles had fully paid at that moment.</summary>
public sealed record StartedWeek(int Week, int PaidWeeks);

/// <summary>How the doubles answer for one run (one database).</summary>
public sealed class RunScript
{
    /// <summary>Answer WeekStarted with InventoryReady (no changes) and RentalsClosed (two batches).</summary>
    public bool AnswerWeeks { get; set; } = true;
    /// <summary>Also answer RentalsClosed with PaymentsRecorded for both batches (otherwise the test pays).</summary>
    public bool AutoPay { get; set; }
    /// <summary>When set, the transactions double fails on the run's InventoryReady with this message (no retries).</summary>
    public string? TransactionsFailure { get; set; }

    public ConcurrentQueue<StartedWeek> Started { get; } = new();
    private readonly ConcurrentDictionary<int, int> _batchesPaid = new();

    /// <summary>Weeks 1..n whose two batches are both paid.</summary>
    public int PaidWeeks
    {
        get
        {
            var n = 0;
            while (_batchesPaid.TryGetValue(n + 1, out var batches) && batches >= StageDoubles.BatchesPerWeek) n++;
            return n;
        }
    }

    internal void Paid(int week) => _batchesPaid.AddOrUpdate(week, 1, (_, n) => n + 1);
}

/// <summary>
/// The other four services, played on RabbitMQ so that the coordinator runs alone: a schema double
/// that creates the run database with the real DDL (no base data) and answers RunPrepared, an
/// inventory and transactions double that answers each WeekStarted with InventoryReady and
/// RentalsClosed (two batches), a payments double that can answer with PaymentsRecorded, and a
/// transactions double that can fail, so that MassTransit publishes Fault&lt;InventoryReady&gt;.
/// Stage timings and counts are fixed functions of the week, so the coordinator's records can be checked.
/// </summary>
public sealed class StageDoubles : IAsyncDisposable
{
    public const int BatchesPerWeek = 2;

    private readonly ConcurrentDictionary<string, RunScript> _scripts = new(StringComparer.Ordinal);
    private IHost? _host;

    private StageDoubles(string mySqlConnectionString) =>
        MySqlConnectionString = new MySqlConnectionStringBuilder(mySqlConnectionString) { AllowUserVariables = true }.ConnectionString;

    public string MySqlConnectionString { get; }
    public IBus Bus => _host!.Services.GetRequiredService<IBus>();

    public RunScript For(string database) => _scripts.GetOrAdd(database, _ => new RunScript());

    // What the doubles report for week w.
    public static double InventoryMs(int week) => 10 + week;
    public static double TransactionsMs(int week) => 20 + week;
    public static double PaymentsMs(int batch) => batch * 1.25;
    public static int Payments(int batch) => 60 + batch;
    public static decimal Revenue(int batch) => 150.25m + batch;
    public static int LateFees(int batch) => 4 + batch;
    public static decimal ReceivablesChange(int batch) => batch == 1 ? 7.5m : -2.25m;
    public static RentalsClosed Closed(string database, int week) =>
        new(database, week, BatchesPerWeek, Rentals: 100 + week, Returns: 90 + week, Lost: week % 2, NewCustomers: 3,
            ActiveCustomers: 50 + week, CheckedOut: 40 + week, StageMilliseconds: TransactionsMs(week), InventoryMilliseconds: InventoryMs(week));

    public static async Task<StageDoubles> StartAsync(string rabbitMqUri, string mySqlConnectionString)
    {
        var doubles = new StageDoubles(mySqlConnectionString);
        var uri = new Uri(rabbitMqUri);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(doubles);
        // MassTransit keeps the first bus's logger factory in a static context: never hand it one that gets disposed.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(NullLoggerFactory.Instance));
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<SchemaDouble>();
            bus.AddConsumer<WeekDouble>();
            bus.AddConsumer<FailingTransactionsDouble>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri.Host, (ushort)uri.Port, "/", host =>
                {
                    host.Username(credentials[0]);
                    host.Password(credentials.Length > 1 ? credentials[1] : "");
                });
                rabbit.ReceiveEndpoint($"coordinator-test-stages-{Guid.NewGuid():N}", endpoint =>
                {
                    endpoint.AutoDelete = true;
                    endpoint.Durable = false;
                    endpoint.ConfigureConsumer<SchemaDouble>(context);
                    endpoint.ConfigureConsumer<FailingTransactionsDouble>(context);
                });
                // Like the real Inventory service: one week at a time, in the order they were started.
                rabbit.ReceiveEndpoint($"coordinator-test-weeks-{Guid.NewGuid():N}", endpoint =>
                {
                    endpoint.AutoDelete = true;
                    endpoint.Durable = false;
                    endpoint.ConcurrentMessageLimit = 1;
                    endpoint.ConfigureConsumer<WeekDouble>(context);
                });
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(30);
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        doubles._host = builder.Build();
        await doubles._host.StartAsync();
        return doubles;
    }

    /// <summary>Answers batch <paramref name="batch"/> of <paramref name="week"/> as the payment service would.</summary>
    public async Task PayAsync(string database, int week, int batch)
    {
        For(database).Paid(week); // before the coordinator can react to it
        await Bus.Publish(new PaymentsRecorded(database, [new BilledBatch(week, batch, Payments(batch), Revenue(batch), LateFees(batch), ReceivablesChange(batch), PaymentsMs(batch))]));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is null) return;
        try { await _host.StopAsync(); }
        finally { _host.Dispose(); _host = null; }
    }
}

/// <summary>The schema service's part: the database with every table, view and routine, and its dvdsim_run row.</summary>
internal sealed class SchemaDouble(StageDoubles doubles) : IConsumer<PrepareRun>
{
    public async Task Consume(ConsumeContext<PrepareRun> context)
    {
        var m = context.Message;
        var scenario = ScenarioJson.Read(m.ScenarioJson);
        await using var connection = new MySqlConnection(doubles.MySqlConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"CREATE DATABASE `{DatabaseName.EnsureValid(m.Database)}` CHARACTER SET utf8mb4");
        await connection.ChangeDatabaseAsync(m.Database);
        await SchemaScripts.CreateAllAsync(connection, CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await RunRecord.InsertAsync(connection, transaction, scenario, m.ScenarioJson, m.WeeksTarget, CancellationToken.None);
            await transaction.CommitAsync();
        }
        await context.Publish(new RunPrepared(m.Database, scenario.Catalog.Films, scenario.Customers.Initial, scenario.Stores.Count));
    }
}

/// <summary>The inventory and transactions services' part, and the payments' when the script says so.</summary>
internal sealed class WeekDouble(StageDoubles doubles) : IConsumer<WeekStarted>
{
    public async Task Consume(ConsumeContext<WeekStarted> context)
    {
        var (database, week) = (context.Message.Database, context.Message.Week);
        var script = doubles.For(database);
        script.Started.Enqueue(new StartedWeek(week, script.PaidWeeks));
        if (!script.AnswerWeeks) return;
        await context.Publish(new InventoryReady(database, week, [], [], StageDoubles.InventoryMs(week)));
        if (script.TransactionsFailure is not null) return; // the failing double takes it from here
        await context.Publish(StageDoubles.Closed(database, week));
        if (!script.AutoPay) return;
        for (var batch = 1; batch <= StageDoubles.BatchesPerWeek; batch++) await doubles.PayAsync(database, week, batch);
    }
}

/// <summary>A transaction service that gives up on a run's InventoryReady: MassTransit then publishes Fault&lt;InventoryReady&gt;.</summary>
internal sealed class FailingTransactionsDouble(StageDoubles doubles) : IConsumer<InventoryReady>
{
    public Task Consume(ConsumeContext<InventoryReady> context) =>
        doubles.For(context.Message.Database).TransactionsFailure is { } failure
            ? throw new InvalidOperationException(failure)
            : Task.CompletedTask;
}
