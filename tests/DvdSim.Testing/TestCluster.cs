using DvdSim.Hosting;

namespace DvdSim.Testing;

/// <summary>The five services running against the test servers. Disposing stops them (the servers stay).</summary>
public sealed class TestCluster(Cluster cluster) : IAsyncDisposable
{
    public Cluster Cluster { get; } = cluster;
    public IResourceMonitor Monitor => Cluster.Monitor;
    public Uri CoordinatorUrl => Cluster.GetEndpoint("coordinator");

    /// <summary>The http URL of a service by resource name: schema, inventory, transactions, payments, coordinator.</summary>
    public Uri Url(string service) => Cluster.GetEndpoint(service);

    public HttpClient CreateClient(string service = "coordinator") =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Url(service) };

    public string ConsoleText(string service) =>
        string.Join(Environment.NewLine, Monitor.ConsoleLines(service, int.MaxValue).Select(l => l.Text));

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
