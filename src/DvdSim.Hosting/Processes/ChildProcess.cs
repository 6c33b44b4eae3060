using System.Diagnostics;
using System.Text;

namespace DvdSim.Hosting.Processes;

/// <summary>
/// What to run. <see cref="Environment"/> is added to the inherited environment;
/// <see cref="LogFile"/> is a log the program writes itself, copied into the console log.
/// </summary>
internal sealed record LaunchSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string? LogFile = null);

/// <summary>
/// One running child process with its output captured into a <see cref="ResourceLog"/>.
/// Every child carries an owner tag in its environment (<see cref="OwnerVariable"/>), which its
/// own children inherit: stopping finds and ends the whole tree by that tag, even processes
/// that were re-parented when their parent died (RabbitMQ's beam.smp under its sh wrapper).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    public const string OwnerVariable = "DVDSIM_OWNER";
    private const string SetsidPath = "/usr/bin/setsid";
    private static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(3);

    private readonly Process _process;
    private readonly string _ownerTag;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _readers;

    private ChildProcess(Process process, string ownerTag, ResourceLog log)
    {
        _process = process;
        _ownerTag = ownerTag;
        Identity = ProcessTree.Identify(process.Id) ?? new ProcessIdentity(process.Id, 0);
        StartedAt = DateTimeOffset.UtcNow;
        _readers = Task.WhenAll(
            PumpAsync(process.StandardOutput, log, isError: false),
            PumpAsync(process.StandardError, log, isError: true));
    }

    public int Pid => Identity.Pid;
    public ProcessIdentity Identity { get; }
    public DateTimeOffset StartedAt { get; }
    /// <summary>Completes with the exit code when the process itself has exited (its children may live on).</summary>
    public Task<int> Exited => _exited.Task;
    public bool HasExited => _exited.Task.IsCompleted;

    public static ChildProcess Start(LaunchSpec spec, string ownerTag, ResourceLog log)
    {
        // In a session of its own, a child does not get the terminal's Ctrl+C: the orchestrator
        // stops children itself, dependents first. setsid execs in place, so the pid is the child's.
        var useSetsid = File.Exists(SetsidPath);
        var info = new ProcessStartInfo(useSetsid ? SetsidPath : spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (useSetsid) info.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in spec.Environment) info.Environment[key] = value;
        info.Environment[OwnerVariable] = ownerTag;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        TaskCompletionSource<int>? exited = null;
        process.Exited += (_, _) => exited?.TrySetResult(SafeExitCode(process));
        process.Start();
        process.StandardInput.Close(); // nothing reads the terminal
        var child = new ChildProcess(process, ownerTag, log);
        exited = child._exited;
        if (process.HasExited) exited.TrySetResult(SafeExitCode(process));
        return child;
    }

    private static int SafeExitCode(Process process)
    {
        try { return process.ExitCode; }
        catch (InvalidOperationException) { return -1; }
    }

    private static async Task PumpAsync(StreamReader reader, ResourceLog log, bool isError)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line) log.Write(line, isError);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    /// <summary>Live members of this child's tree other than the child itself, found by owner tag.</summary>
    public List<ProcessIdentity> Survivors() =>
        ProcessTree.WithEnvironment(OwnerVariable, _ownerTag).Where(p => p != Identity).ToList();

    /// <summary>
    /// SIGTERM, wait up to <paramref name="grace"/> for the process to exit, then end whatever is
    /// left of its tree (SIGTERM, a short wait, SIGKILL). Returns once nothing of it runs.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!HasExited)
        {
            ProcessTree.Signal(Identity, ProcessTree.SigTerm);
            await Task.WhenAny(Exited, Task.Delay(grace));
            if (!HasExited)
            {
                Kill();
                await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
            }
        }
        await EndSurvivorsAsync(OrphanGrace);
        await WaitForOutputAsync();
        Dispose();
    }

    /// <summary>Lets the readers copy what the process wrote before it exited (a survivor holding the pipe open is not waited for).</summary>
    public Task WaitForOutputAsync() => Task.WhenAny(_readers, Task.Delay(TimeSpan.FromSeconds(1)));

    public void Dispose() => _process.Dispose();

    /// <summary>Ends the members of the tree that outlived the child (after a crash or a stop).</summary>
    public async Task EndSurvivorsAsync(TimeSpan grace)
    {
        var survivors = Survivors();
        if (survivors.Count == 0) return;
        foreach (var survivor in survivors) ProcessTree.Signal(survivor, ProcessTree.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && survivors.Any(ProcessTree.IsAlive)) await Task.Delay(50);
        foreach (var survivor in Survivors()) ProcessTree.Signal(survivor, ProcessTree.SigKill);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline && Survivors().Count > 0) await Task.Delay(50);
    }

    /// <summary>SIGKILL to the child and everything carrying its owner tag, at once.</summary>
    public void Kill()
    {
        var tree = Survivors();
        ProcessTree.Signal(Identity, ProcessTree.SigKill);
        foreach (var member in tree) ProcessTree.Signal(member, ProcessTree.SigKill);
    }
}
