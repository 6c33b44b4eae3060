using System.Reflection;

namespace DvdSim.Hosting.Tests.Support;

/// <summary>
/// The ProbeService test program (ProbeService/), built with these tests. <see cref="RepoRoot"/> is a
/// stand-in repository where src/ProbeService holds the probe's project file and real build output,
/// so the test host's <c>StartServiceAsync("ProbeService")</c> runs it exactly as it runs a service.
/// </summary>
internal sealed class ProbeService : IDisposable
{
    private readonly TempDirectory _repo;

    public ProbeService()
    {
        var repo = FindRepoRoot();
        Configuration = typeof(ProbeService).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        ProjectPath = Path.Combine(repo, "tests", "DvdSim.Hosting.Tests", "ProbeService", "ProbeService.csproj");
        OutputDirectory = Path.Combine(Path.GetDirectoryName(ProjectPath)!, "bin", Configuration, "net10.0");
        Dll = Path.Combine(OutputDirectory, "ProbeService.dll");
        if (!File.Exists(Dll)) throw new InvalidOperationException($"{Dll} is missing: build the tests first");
        _repo = new TempDirectory();
        var inFakeRepo = Path.Combine(_repo.Path, "src", "ProbeService");
        Directory.CreateDirectory(Path.Combine(inFakeRepo, "bin", Configuration));
        File.CreateSymbolicLink(Path.Combine(inFakeRepo, "ProbeService.csproj"), ProjectPath);
        Directory.CreateSymbolicLink(Path.Combine(inFakeRepo, "bin", Configuration, "net10.0"), OutputDirectory);
    }

    public string Configuration { get; }
    public string ProjectPath { get; }
    public string OutputDirectory { get; }
    public string Dll { get; }
    public string RepoRoot => _repo.Path;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DvdSim.sln"))) return dir.FullName;
        throw new InvalidOperationException("DvdSim.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _repo.Dispose();
}
