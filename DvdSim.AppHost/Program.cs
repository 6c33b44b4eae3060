using DvdSim.AppHost.Commands;
using DvdSim.Hosting;

// The cluster as an Aspire app model; commands (up, simulate, …) live in Commands/ and drive it.
return await CommandLine.RunAsync(args, (builder, data) =>
{
    var mysql = builder.AddMariaDb("mysql", data);
    var messaging = builder.AddRabbitMq("messaging", data);

    // The services start with the servers, not after them: they compile and configure while
    // RabbitMQ boots (its slowest part), and their bus starts once the broker's port opens
    // (BrokerWait, in ServiceDefaults). They are healthy, and so ready, only once both answer.
    var schema = builder.AddService<Projects.DvdSim_SchemaService>("schema", data)
        .WithReference(mysql).WithReference(messaging);

    var inventory = builder.AddService<Projects.DvdSim_InventoryService>("inventory", data)
        .WithReference(mysql).WithReference(messaging);

    var transactions = builder.AddService<Projects.DvdSim_TransactionService>("transactions", data)
        .WithReference(mysql).WithReference(messaging);

    var payments = builder.AddService<Projects.DvdSim_PaymentService>("payments", data)
        .WithReference(mysql).WithReference(messaging);

    // The coordinator starts with them too; a run it resumes at start-up waits until the stages it
    // references are healthy (their queues must exist by then: StageServices).
    builder.AddService<Projects.DvdSim_Coordinator>("coordinator", data)
        .WithReference(mysql).WithReference(messaging)
        .WithReference(schema).WithReference(inventory).WithReference(transactions).WithReference(payments);
});
