using System.Reflection;
using System.Runtime.InteropServices;

namespace DvdSim.Hosting.Runtime;

/// <summary>Finds the programs the cluster runs, failing with the name of the package that provides a missing one.</summary>
internal static class Executables
{
    private static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>
    /// Resolves <paramref name="command"/> (a path, or a name looked up in PATH and the system
    /// directories, which PATH often lacks for /usr/sbin/mariadbd).
    /// </summary>
    public static string Find(string resource, string command, string? package, params string[] extraDirectories)
    {
        if (command.Contains('/'))
        {
            if (IsExecutable(command)) return Path.GetFullPath(command);
            throw Missing(resource, command, package, [Path.GetDirectoryName(command) ?? "."]);
        }
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var directories = path.Concat(SystemDirectories).Concat(extraDirectories).Distinct().ToList();
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, command);
            if (IsExecutable(candidate)) return candidate;
        }
        throw Missing(resource, command, package, directories);
    }

    private static HostingException Missing(string resource, string command, string? package, IEnumerable<string> looked) =>
        new($"{resource}: cannot find the program '{command}' (looked in {string.Join(", ", looked)}). " +
            (package is null ? "Install it or give its full path."
                : $"Install it with: sudo apt-get install -y {package}   (or run: bash eng/setup.sh)"));

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>Erlang keeps epmd in its runtime directory; Debian also links it into /usr/bin.</summary>
    public static string[] ErlangDirectories() =>
        Directory.Exists("/usr/lib/erlang")
            ? Directory.GetDirectories("/usr/lib/erlang", "erts-*").Select(d => Path.Combine(d, "bin")).Prepend("/usr/lib/erlang/bin").ToArray()
            : [];

    /// <summary>The dotnet host: the one running this process, so services run on the same runtime.</summary>
    public static string Dotnet(string? configured)
    {
        if (configured is not null) return Find("dotnet", configured, "dotnet-sdk-10.0");
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        // …/dotnet/shared/Microsoft.NETCore.App/10.0.x/ → …/dotnet/dotnet
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var candidate = Path.Combine(root, "dotnet");
        return File.Exists(candidate) ? candidate : Find("dotnet", "dotnet", "dotnet-sdk-10.0");
    }
}
