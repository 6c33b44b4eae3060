namespace DvdSim.Hosting.Tests.Support;

/// <summary>Reads /proc directly, independently of DvdSim.Hosting, to check what really runs.</summary>
internal static class LiveProcesses
{
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X'); // a zombie has ended; only its exit status is left
        }
        catch (IOException) { return false; }
    }

    public static string Name(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return "?"; }
    }

    public static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (IOException) { return ""; }
    }

    /// <summary>Children, grandchildren, … of <paramref name="root"/>, by parent pid.</summary>
    public static List<int> Descendants(int root)
    {
        var parentOf = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText($"{dir}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is not ("Z" or "X")) parentOf[pid] = int.Parse(fields[1]);
            }
            catch (IOException) { }
        }
        var result = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var parent = queue.Dequeue();
            foreach (var (pid, ppid) in parentOf)
                if (ppid == parent) { result.Add(pid); queue.Enqueue(pid); }
        }
        return result;
    }

    /// <summary>
    /// What an AppHost runs: its descendants, the DCP processes that monitor it (they detach), their
    /// descendants, and every process tagged with its data directory.
    /// </summary>
    public static List<int> OfHost(int host, string dataDirectory)
    {
        var dcp = Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid).Contains("dcp", StringComparison.Ordinal) && CommandLine(pid).Contains($"--monitor {host} ", StringComparison.Ordinal))
            .ToList();
        var tagged = Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Environment(pid).Contains($"DVDSIM_OWNER={dataDirectory}|", StringComparison.Ordinal));
        return Descendants(host).Concat(dcp).Concat(dcp.SelectMany(Descendants)).Concat(tagged).Where(IsAlive).Distinct().ToList();
    }

    private static string Environment(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/environ"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    /// <summary>Waits until none of <paramref name="pids"/> runs; returns the ones still running after the timeout.</summary>
    public static async Task<List<int>> WaitAllGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var left = pids.Where(IsAlive).ToList();
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            left = left.Where(IsAlive).ToList();
        }
        return left;
    }

    public static string Describe(IEnumerable<int> pids) =>
        string.Join(", ", pids.Select(p => $"{p} {Name(p)} [{CommandLine(p)}]"));
}
