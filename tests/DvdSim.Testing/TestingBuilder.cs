using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using DvdSim.Hosting;

namespace DvdSim.Testing;

/// <summary>
/// Aspire.Hosting.Testing's builder for an app model without an AppHost project: no dashboard,
/// DCP from the orchestration package this assembly was built with (its path is stamped into the
/// assembly by DvdSim.Testing.csproj, as the Aspire SDK stamps an AppHost's; the dashboard's path too,
/// which DCP's options require even when it is not started).
/// </summary>
public static class TestingBuilder
{
    public static IDistributedApplicationTestingBuilder Create()
    {
        var builder = DistributedApplicationTestingBuilder.Create(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = false },
            [$"--DcpPublisher:CliPath={DcpPath}", $"--DcpPublisher:DashboardPath={DashboardPath}"]);
        Cluster.Configure(builder, dashboard: false, out _);
        return builder;
    }

    /// <summary>The dcp program this assembly was built with.</summary>
    public static string DcpPath => Stamped("dcpclipath");

    /// <summary>The Aspire dashboard this assembly was built with.</summary>
    public static string DashboardPath => Stamped("aspiredashboardpath");

    private static string Stamped(string key) =>
        typeof(TestingBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"DvdSim.Testing was built without {key}");
}

/// <summary>The repository holding the test assembly: the first directory above it with DvdSim.sln.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DvdSim.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no DvdSim.sln above {AppContext.BaseDirectory}");
    }
}
