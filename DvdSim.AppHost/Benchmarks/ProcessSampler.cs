using System.Globalization;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>
/// Peak resident memory and CPU time of every resource while a workload runs: once a second,
/// VmRSS of each resource's process tree (RabbitMQ's pid is a shell whose child is beam.smp) from
/// /proc, and at the end the kernel's own high-water mark (VmHWM) of each resource's main process;
/// CPU is user + system time of the tree between <see cref="StartCpuClock"/> and <see cref="CpuSeconds"/>.
/// Linux only; elsewhere it reports nothing.
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    public const string AppHost = "apphost";
    private readonly IResourceMonitor _monitor;
    private const double TicksPerSecond = 100; // USER_HZ, the unit of /proc/<pid>/stat times on Linux
    // Peak per resource while the run stood at a given number of completed weeks (whether memory
    // grows with the weeks simulated or levels off); the whole run's peak is the largest of them.
    private readonly Dictionary<(string Name, int Week), double> _peakKbByWeek = new();
    private volatile int _weeksDone;
    private Dictionary<string, double> _cpuAtStart = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProcessSampler(IResourceMonitor monitor, TimeSpan? interval = null)
    {
        _monitor = monitor;
        _loop = OperatingSystem.IsLinux() ? LoopAsync(interval ?? TimeSpan.FromSeconds(1)) : Task.CompletedTask;
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do Sample();
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) { }
    }

    private IEnumerable<(string Name, int Pid)> Targets() =>
        _monitor.Resources().Where(r => r.ProcessId is not null).Select(r => (r.Name, Pid: r.ProcessId!.Value))
            .Append((AppHost, Environment.ProcessId));

    /// <summary>From now on, CPU time counts (the cluster's start-up does not).</summary>
    public void StartCpuClock() => _cpuAtStart = CpuTicks();

    /// <summary>CPU seconds (user + system) each resource used since <see cref="StartCpuClock"/>.</summary>
    public IReadOnlyDictionary<string, double> CpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return new Dictionary<string, double>();
        return CpuTicks().OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key,
            p => Math.Round(Math.Max(0, p.Value - _cpuAtStart.GetValueOrDefault(p.Key)) / TicksPerSecond, 1), StringComparer.Ordinal);
    }

    private Dictionary<string, double> CpuTicks()
    {
        var ticks = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux()) return ticks;
        var children = ChildrenByParent();
        foreach (var (name, pid) in Targets())
            ticks[name] = (name == AppHost ? [pid] : Tree(pid, children)).Sum(p => StatTicks(p) ?? 0);
        return ticks;
    }

    /// <summary>utime + stime of one process, in ticks, or null when it is gone.</summary>
    internal static double? StatTicks(int pid) =>
        StatFields(pid) is { Length: > 12 } fields
            ? double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// The fields of /proc/&lt;pid&gt;/stat after "pid (comm) ", from state (field 3 of stat(5)) on:
    /// [1] is ppid, [11] utime, [12] stime. comm may hold spaces and parentheses. Null when the process is gone.
    /// </summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public void Sample()
    {
        if (!OperatingSystem.IsLinux()) return;
        var children = ChildrenByParent();
        foreach (var (name, pid) in Targets())
        {
            // The AppHost's children are the cluster itself: count only its own process (its VmHWM spans every workload).
            var kb = name == AppHost
                ? StatusKb(pid, "VmRSS:") ?? 0
                : Math.Max(Tree(pid, children).Sum(p => StatusKb(p, "VmRSS:") ?? 0), StatusKb(pid, "VmHWM:") ?? 0);
            Record(name, kb);
        }
    }

    /// <summary>The run's completed weeks as last seen: later samples count towards the next week.</summary>
    public int WeeksDone { get => _weeksDone; set => _weeksDone = value; }

    internal void Record(string name, double kb)
    {
        if (kb <= 0) return;
        var week = _weeksDone + 1; // the week under way
        lock (_lock) _peakKbByWeek[(name, week)] = Math.Max(_peakKbByWeek.GetValueOrDefault((name, week)), kb);
    }

    /// <summary>
    /// Peak RSS per resource in MB over the samples taken while weeks <paramref name="firstWeek"/> to
    /// <paramref name="lastWeek"/> were under way (weeks are pipelined: a sample belongs to the week
    /// after the last one completed). Resources with no sample in that range are left out.
    /// </summary>
    public IReadOnlyDictionary<string, double> PeakMbDuring(int firstWeek, int lastWeek)
    {
        lock (_lock)
            return _peakKbByWeek.Where(p => p.Key.Week >= firstWeek && p.Key.Week <= lastWeek)
                .GroupBy(p => p.Key.Name, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Math.Round(g.Max(p => p.Value) / 1024, 1), StringComparer.Ordinal);
    }

    /// <summary>Peak RSS per resource in MB, as seen so far (samples once more first).</summary>
    public IReadOnlyDictionary<string, double> PeakMb()
    {
        Sample();
        return PeakMbDuring(int.MinValue, int.MaxValue);
    }

    private static IEnumerable<int> Tree(int root, Dictionary<int, List<int>> children)
    {
        var stack = new Stack<int>([root]);
        var seen = new HashSet<int>();
        while (stack.Count > 0)
        {
            var pid = stack.Pop();
            if (!seen.Add(pid)) continue;
            yield return pid;
            if (children.TryGetValue(pid, out var kids)) foreach (var kid in kids) stack.Push(kid);
        }
    }

    private static Dictionary<int, List<int>> ChildrenByParent()
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (StatFields(pid) is not { Length: > 1 } fields || !int.TryParse(fields[1], out var parent)) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        return children;
    }

    /// <summary>A "kB" line of /proc/&lt;pid&gt;/status, or null when the process is gone.</summary>
    internal static double? StatusKb(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return ParseKb(line[key.Length..]);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    internal static double? ParseKb(string value)
    {
        var text = value.Trim();
        if (text.EndsWith("kB", StringComparison.Ordinal)) text = text[..^2].Trim();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var kb) ? kb : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
