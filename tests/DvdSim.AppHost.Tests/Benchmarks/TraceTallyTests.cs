using DvdSim.AppHost.Benchmarks;
using DvdSim.Dashboard;
using DvdSim.Dashboard.Telemetry;

namespace DvdSim.AppHost.Tests.Benchmarks;

public class TraceTallyTests
{
    [Theory]
    [InlineData("INSERT INTO `payment` (`payment_id`,`customer_id`) VALUES (1,2),(3,4) ON DUPLICATE KEY UPDATE `payment_id` = `payment_id`", "INSERT INTO payment … ON DUPLICATE KEY UPDATE")]
    [InlineData("INSERT INTO rental (rental_id) VALUES (@p0)", "INSERT INTO rental")]
    [InlineData("LOAD DATA LOCAL INFILE ':SOURCE:1' INTO TABLE `rental` CHARACTER SET utf8mb4 (`rental_id`)", "LOAD DATA INTO rental")]
    [InlineData("SELECT MAX(week) FROM dvdsim_stage WHERE stage = 'transactions'", "SELECT … FROM dvdsim_stage")]
    [InlineData("UPDATE rental SET return_date = @at WHERE rental_id = @id", "UPDATE rental")]
    [InlineData("UPDATE dvdsim_returned t STRAIGHT_JOIN rental r ON r.rental_id = t.rental_id SET r.return_date = t.return_date", "UPDATE dvdsim_returned JOIN rental")]
    [InlineData("UPDATE customer c JOIN address a ON a.address_id = c.address_id SET c.active = 0", "UPDATE customer JOIN address")]
    [InlineData("INSERT INTO address (a) VALUES (1);\nINSERT INTO customer (c) VALUES (2);\nINSERT INTO rental (r) VALUES (3);\n", "INSERT INTO address + 2 more")]
    [InlineData("COMMIT", "COMMIT")]
    [InlineData("SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\nINSERT INTO address (a) VALUES (1);\nINSERT INTO rental (r) VALUES (3);\nCOMMIT", "INSERT INTO address + 1 more")]
    [InlineData("SET foreign_key_checks = 0; INSERT INTO payment (a) VALUES (1); INSERT INTO dvdsim_stage (w) VALUES (2)", "INSERT INTO payment + 1 more")]
    [InlineData("SET time_zone = '+00:00'; SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "SET (session settings)")]
    public void Sql_is_named_by_what_it_does_not_by_its_values(string sql, string shape) =>
        Assert.Equal(shape, TraceTally.SqlShape(sql));

    private static SpanRecord Span(string trace, string id, string service, string scope, string name, double ms, string? sql = null) =>
        new(trace, id, null, service, null, scope, name, "internal", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMilliseconds(ms), "unset", null,
            sql is null ? [] : [new TelemetryAttribute("db.query.text", sql)], []);

    [Fact]
    public async Task Counts_every_span_once_by_service_and_kind()
    {
        var store = new TraceStore(new TelemetryLimits());
        await using var tally = new TraceTally(store, TimeSpan.FromHours(1));
        store.Add([
            Span("t1", "a", "transactions", "DvdSim.TransactionService", "transactions week", 100),
            Span("t1", "b", "transactions", "MySqlConnector", "Execute", 60, "INSERT INTO rental (x) VALUES (1)"),
            Span("t1", "c", "transactions", "MySqlConnector", "Execute", 10, "SELECT MAX(week) FROM dvdsim_stage"),
        ]);
        tally.Collect();
        store.Add([
            Span("t1", "d", "payments", "DvdSim.PaymentService", "payments batch", 50),
            Span("t2", "e", "payments", "MassTransit", "payments receive", 5),
            Span("t2", "f", "coordinator", "DvdSim.Coordinator", "week 1", 500),
        ]);

        var totals = tally.Totals();

        Assert.Contains(new TraceStage("transactions", "stage", 1, 100), totals);
        Assert.Contains(new TraceStage("transactions", "sql", 2, 70), totals);
        Assert.Contains(new TraceStage("payments", "stage", 1, 50), totals);
        Assert.Contains(new TraceStage("payments", "messaging", 1, 5), totals);
        Assert.DoesNotContain(totals, t => t.Service == "coordinator");
        Assert.Equal(new SqlStatementTime("transactions", "INSERT INTO rental", 1, 60), tally.TopStatements()[0]);
    }
}
