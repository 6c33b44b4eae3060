using DvdSim.AppHost.Commands;
using DvdSim.Hosting;

// The cluster as a parts list; commands (up, …) live in Commands/.
return await CommandLine.RunAsync(args, options =>
{
    var builder = AppHost.CreateBuilder(options);

    var mysql = builder.AddMariaDb("mysql");
    var messaging = builder.AddRabbitMq("messaging");

    // The services start with the servers, not after them: they compile and configure while
    // RabbitMQ boots (its slowest part), and their bus starts once the broker's port opens
    // (BrokerWait, in ServiceDefaults). They are healthy, and so ready, only once both answer.
    var schema = builder.AddProject("schema", "DvdSim.SchemaService")
        .WithReference(mysql).WithReference(messaging);

    var inventory = builder.AddProject("inventory", "DvdSim.InventoryService")
        .WithReference(mysql).WithReference(messaging);

    var transactions = builder.AddProject("transactions", "DvdSim.TransactionService")
        .WithReference(mysql).WithReference(messaging);

    var payments = builder.AddProject("payments", "DvdSim.PaymentService")
        .WithReference(mysql).WithReference(messaging);

    // The coordinator starts with them too; a run it resumes at start-up waits until the stages it
    // references are healthy (their queues must exist by then: StageServices).
    builder.AddProject("coordinator", "DvdSim.Coordinator")
        .WithReference(mysql).WithReference(messaging)
        .WithReference(schema).WithReference(inventory).WithReference(transactions).WithReference(payments);

    return builder;
});
