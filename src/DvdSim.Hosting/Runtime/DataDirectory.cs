using DvdSim.Hosting.Processes;

namespace DvdSim.Hosting.Runtime;

/// <summary>
/// The cluster's data directory, held under an exclusive lock while the cluster runs. Kept between
/// runs by default (servers' data, generated passwords); an ephemeral one is deleted at release.
/// </summary>
internal sealed class DataDirectory : IDisposable
{
    private const string LockFileName = ".lock", OwnerFileName = ".lock.owner";
    private FileStream? _lock;

    private DataDirectory(string path, bool ephemeral)
    {
        Path = path;
        IsEphemeral = ephemeral;
    }

    public string Path { get; }
    public bool IsEphemeral { get; }
    public string LogsPath => System.IO.Path.Combine(Path, "logs");
    public string ResourcePath(string resource) => System.IO.Path.Combine(Path, resource);
    /// <summary>Prefix of the owner tag of every process started for this directory.</summary>
    public string OwnerPrefix => Path + "|";

    public static string Resolve(AppHostOptions options)
    {
        if (options.Ephemeral)
            return System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dvdsim-" + Guid.NewGuid().ToString("N")[..12]);
        var configured = options.DataDirectory is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable("DVDSIM_HOME") is { Length: > 0 } home ? home
            : System.IO.Path.Combine(Environment.CurrentDirectory, ".dvdsim");
        return System.IO.Path.GetFullPath(configured).TrimEnd('/');
    }

    /// <summary>Creates and locks the directory, ends processes a crashed earlier run left behind, wipes it if asked.</summary>
    public static async Task<DataDirectory> OpenAsync(string path, bool ephemeral, bool fresh)
    {
        var directory = new DataDirectory(path, ephemeral);
        try
        {
            Directory.CreateDirectory(path);
            directory.AcquireLock();
            await directory.EndLeftoverProcessesAsync();
            if (fresh) directory.Wipe();
            directory.RotateLogs();
            return directory;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    private void AcquireLock()
    {
        var lockPath = System.IO.Path.Combine(Path, LockFileName);
        try
        {
            // FileShare.None takes an advisory lock (flock) that a second AppHost cannot get.
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var ownerPath = System.IO.Path.Combine(Path, OwnerFileName);
            var owner = File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "?";
            throw new HostingException(
                $"The data directory {Path} is in use by another DvdSim AppHost (pid {owner}). " +
                "Stop that one, or use another directory (--data-dir DIR) or --ephemeral.");
        }
        // The locked file cannot be read by others: the owner's pid goes beside it.
        File.WriteAllText(System.IO.Path.Combine(Path, OwnerFileName), Environment.ProcessId.ToString());
    }

    /// <summary>
    /// Holding the lock means no live AppHost owns this directory: any process still tagged with
    /// it was left by one that was killed. It would hold the ports and the database files.
    /// </summary>
    private async Task EndLeftoverProcessesAsync()
    {
        if (await ProcessTree.EndTaggedAsync(OwnerPrefix, TimeSpan.FromSeconds(10)) is > 0 and var count)
            Console.Error.WriteLine($"dvdsim: ended {count} process(es) left running by an earlier AppHost in {Path}");
    }

    private void Wipe()
    {
        foreach (var entry in new DirectoryInfo(Path).EnumerateFileSystemInfos())
        {
            if (entry.Name is LockFileName or OwnerFileName) continue;
            if (entry is DirectoryInfo dir) dir.Delete(recursive: true);
            else entry.Delete();
        }
    }

    /// <summary>Each run writes fresh logs; the previous run's stay beside them as *.log.1.</summary>
    private void RotateLogs()
    {
        Directory.CreateDirectory(LogsPath);
        foreach (var log in Directory.GetFiles(LogsPath, "*.log"))
            File.Move(log, log + ".1", overwrite: true);
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
        if (!IsEphemeral) return;
        try { Directory.Delete(Path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"dvdsim: could not delete {Path}: {e.Message}");
        }
    }
}
