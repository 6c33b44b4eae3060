using System.Runtime.InteropServices;
using System.Text;

namespace DvdSim.Hosting.Processes;

/// <summary>A process identified by pid and kernel start time, so a reused pid is never mistaken for it.</summary>
internal readonly record struct ProcessIdentity(int Pid, ulong StartTime);

/// <summary>Reads /proc to find descendants and live processes, and sends POSIX signals.</summary>
internal static partial class ProcessTree
{
    /// <summary>
    /// Every process DvdSim starts carries an owner tag in this environment variable, which its own
    /// children inherit: whatever a killed AppHost left behind is found and ended by that tag, even
    /// processes re-parented when their parent died (RabbitMQ's beam.smp under its sh wrapper).
    /// </summary>
    public const string OwnerVariable = "DVDSIM_OWNER";
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Signal(ProcessIdentity process, int signal)
    {
        if (IsAlive(process)) Kill(process.Pid, signal);
    }

    /// <summary>Alive = exists, is not a zombie, and is still the same process (same start time).</summary>
    public static bool IsAlive(ProcessIdentity process)
    {
        var stat = ReadStat(process.Pid);
        return stat is { } s && s.State != 'Z' && s.State != 'X' && s.StartTime == process.StartTime;
    }

    /// <summary>SIGTERM to every process tagged with <paramref name="ownerPrefix"/>, SIGKILL to what is left after <paramref name="grace"/>; returns how many there were.</summary>
    public static async Task<int> EndTaggedAsync(string ownerPrefix, TimeSpan grace)
    {
        var tagged = WithEnvironment(OwnerVariable, ownerPrefix, prefix: true);
        if (tagged.Count == 0) return 0;
        foreach (var process in tagged) Signal(process, SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && tagged.Any(IsAlive)) await Task.Delay(50);
        foreach (var process in tagged) Signal(process, SigKill);
        return tagged.Count;
    }

    /// <summary>
    /// Live processes (other than this one) whose initial environment has <c>name=value</c>, or
    /// <c>name=value…</c> when <paramref name="prefix"/> is set. Environment variables are
    /// inherited, so this finds a child's whole tree even after its members were re-parented.
    /// </summary>
    public static List<ProcessIdentity> WithEnvironment(string name, string value, bool prefix = false)
    {
        var needle = Encoding.UTF8.GetBytes(prefix ? $"{name}={value}" : $"{name}={value}\0");
        var self = Environment.ProcessId;
        var result = new List<ProcessIdentity>();
        foreach (var pid in AllPids())
        {
            if (pid == self) continue;
            byte[] environ;
            try { environ = File.ReadAllBytes($"/proc/{pid}/environ"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (!ContainsEntry(environ, needle)) continue;
            if (ReadStat(pid) is { } s && s.State != 'Z') result.Add(new ProcessIdentity(pid, s.StartTime));
        }
        return result;
    }

    private static bool ContainsEntry(byte[] environ, byte[] needle)
    {
        var span = environ.AsSpan();
        var index = span.IndexOf(needle);
        while (index >= 0)
        {
            if (index == 0 || span[index - 1] == 0) return true; // a whole entry, not a suffix of another one
            var next = span[(index + 1)..].IndexOf(needle);
            index = next < 0 ? -1 : index + 1 + next;
        }
        return false;
    }

    private static IEnumerable<int> AllPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid)) yield return pid;
    }

    private readonly record struct Stat(char State, int ParentPid, ulong StartTime);

    private static Stat? ReadStat(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        // The command name (field 2) is in parentheses and may contain spaces: parse after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] = state (field 3), fields[1] = ppid (field 4), fields[19] = starttime (field 22)
        if (fields.Length < 20) return null;
        return new Stat(fields[0][0], int.Parse(fields[1]), ulong.Parse(fields[19]));
    }
}
