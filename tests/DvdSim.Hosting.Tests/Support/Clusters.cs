using Aspire.Hosting;
using DvdSim.Testing;

namespace DvdSim.Hosting.Tests.Support;

/// <summary>Starts an app model declared by a test on Aspire.Hosting.Testing's builder, the way the AppHost starts its own.</summary>
internal static class Clusters
{
    public static AppHostOptions Ephemeral() => new() { Ephemeral = true };

    /// <summary>
    /// Opens the data directory, declares, starts; on failure the data directory is released (an
    /// ephemeral one removed) and the error is the start's. <paramref name="changes"/> sees every state change.
    /// </summary>
    public static async Task<Cluster> StartAsync(AppHostOptions options, Action<IDistributedApplicationBuilder, ClusterData> declare,
        IReadOnlyCollection<string>? only = null, Action<ResourceSnapshot>? changes = null)
    {
        var data = await ClusterData.OpenAsync(options);
        try
        {
            var builder = TestingBuilder.Create();
            declare(builder, data);
            return await Cluster.StartAsync(builder, data, dashboardLoginUrl: null, only, onChanged: changes);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    public static ResourceSnapshot Resource(this Cluster cluster, string name) => cluster.Monitor.Resources().Single(r => r.Name == name);

    /// <summary>Polls until <paramref name="condition"/> holds for the resource (30 s at most).</summary>
    public static async Task<ResourceSnapshot> WaitForAsync(this Cluster cluster, string name, Func<ResourceSnapshot, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var snapshot = cluster.Resource(name);
            if (condition(snapshot)) return snapshot;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name}: {snapshot}");
            await Task.Delay(20);
        }
    }
}
