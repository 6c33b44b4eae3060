using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace DvdSim.Hosting;

/// <summary>A DvdSim service, run by DCP from its build output (see <see cref="ClusterResources.AddService(Aspire.Hosting.IDistributedApplicationBuilder, string, string, ClusterData)"/>).</summary>
public sealed class ServiceResource(string name, string dotnet, string workingDirectory, string projectPath)
    : ExecutableResource(name, dotnet, workingDirectory), IResourceWithServiceDiscovery
{
    /// <summary>The smallest gen0 budget a service gets (hex, as the runtime reads it): 64 MiB.</summary>
    public const string Gen0Budget = "4000000";

    /// <summary>The .csproj it is built from.</summary>
    public string ProjectPath { get; } = projectPath;

    /// <summary>
    /// &lt;project dir&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;project&gt;.dll, or a clear error when it is
    /// not built. The configuration is the one DvdSim.Hosting was built with: the solution builds
    /// the AppHost, the tests and the services together.
    /// </summary>
    public static string BuiltDll(string resource, string projectPath, string? configuration)
    {
        configuration ??= typeof(ServiceResource).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var directory = Path.GetDirectoryName(Path.GetFullPath(projectPath))!;
        var name = Path.GetFileNameWithoutExtension(projectPath);
        if (!File.Exists(projectPath))
            throw new HostingException($"{resource}: there is no project {projectPath}.");
        var dll = Path.Combine(directory, "bin", configuration, "net10.0", name + ".dll");
        if (!File.Exists(dll))
            throw new HostingException($"{resource}: {name} is not built ({dll} is missing). Build the solution first: dotnet build -c {configuration}");
        return dll;
    }
}
