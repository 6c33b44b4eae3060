using System.Diagnostics;
using System.Runtime.InteropServices;
using DvdSim.Hosting.Tests.Support;
using DvdSim.Testing;

namespace DvdSim.Hosting.Tests;

/// <summary>
/// An Aspire AppHost process (ProbeService in cluster mode: MariaDB, RabbitMQ + epmd, a shell with
/// a grandchild, a service) leaves no process behind. DCP detaches from the AppHost (its parent is
/// init), so what belongs to a host is found by the host's pid on DCP's command line (--monitor)
/// and by the owner tag DvdSim gives every process it has DCP start.
/// </summary>
public sealed partial class ShutdownTests : IDisposable
{
    private readonly ProbeService _probe = new();
    private readonly TempDirectory _data = new();
    private readonly List<Process> _hosts = [];
    private readonly List<int> _seen = [];

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    private const int SigKill = 9, SigTerm = 15;

    private async Task<(Process Host, List<int> Tree)> StartHostAsync()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet") ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { _probe.Dll, "cluster", _data.Path, TestingBuilder.DcpPath, TestingBuilder.DashboardPath }) start.ArgumentList.Add(argument);
        var host = Process.Start(start)!;
        _hosts.Add(host);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        host.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) output.Add(e.Data); if (e.Data == "READY") ready.TrySetResult(); } };
        host.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        var finished = await Task.WhenAny(ready.Task, host.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        if (finished != ready.Task) throw new InvalidOperationException("the probe host did not get ready:\n" + string.Join("\n", output));
        var tree = LiveProcesses.OfHost(host.Id, _data.Path);
        _seen.AddRange(tree);
        var names = tree.Select(LiveProcesses.Name).ToList();
        foreach (var expected in new[] { "mariadbd", "beam.smp", "epmd", "sleep", "dotnet", "dcp" })
            Assert.True(names.Contains(expected), $"expected a {expected} among {LiveProcesses.Describe(tree)}");
        return (host, tree);
    }

    [Fact]
    public async Task SIGTERM_stops_every_process_of_the_cluster()
    {
        var (host, tree) = await StartHostAsync();

        Kill(host.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, host.ExitCode);
        // DCP's own processes linger a few seconds after the AppHost (docs/hosting.md).
        var left = await LiveProcesses.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(15));
        Assert.True(left.Count == 0, "left behind: " + LiveProcesses.Describe(left));
    }

    [Fact]
    public async Task Nothing_outlives_a_killed_AppHost_once_the_next_one_started_on_the_same_data()
    {
        var (killed, orphans) = await StartHostAsync();
        Kill(killed.Id, SigKill); // no chance to clean up: DCP notices, and the next start ends what is tagged
        await killed.WaitForExitAsync();

        var (next, tree) = await StartHostAsync(); // same data directory, same ports wanted
        var left = await LiveProcesses.WaitAllGoneAsync(orphans, TimeSpan.FromSeconds(15));
        Assert.True(left.Count == 0, "the next start left these running: " + LiveProcesses.Describe(left));

        Kill(next.Id, SigTerm);
        await next.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(15)));
    }

    public void Dispose()
    {
        // A failed assertion must not leave a host running: kill what is left, children first.
        foreach (var host in _hosts.Where(h => !h.HasExited))
        {
            _seen.AddRange(LiveProcesses.OfHost(host.Id, _data.Path));
            Kill(host.Id, SigKill);
        }
        foreach (var pid in _seen.Where(LiveProcesses.IsAlive)) Kill(pid, SigKill);
        _data.Dispose();
        _probe.Dispose();
    }
}
