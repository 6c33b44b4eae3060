using System.Diagnostics;
using DvdSim.Hosting.Tests.Support;

namespace DvdSim.Hosting.Tests;

/// <summary>Crashed processes are restarted with back-off and counted; stop ends whole process trees.</summary>
public sealed class SupervisionTests
{
    private static AppHostOptions Options(TimeSpan? backoff = null) => new()
    {
        Ephemeral = true,
        HandleShutdownSignals = false,
        RestartBackoff = backoff ?? TimeSpan.FromMilliseconds(20),
    };

    private static async Task<ResourceSnapshot> WaitForAsync(Cluster cluster, string name, Func<ResourceSnapshot, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var snapshot = cluster.Monitor.Resources().Single(r => r.Name == name);
            if (condition(snapshot)) return snapshot;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name}: {snapshot}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_process_that_keeps_crashing_is_restarted_up_to_the_limit_then_failed()
    {
        var builder = AppHost.CreateBuilder(Options());
        builder.AddExecutable("crasher", "/bin/sh", "-c", "echo boom; exit 3").WithMaxRestarts(3);
        await using var cluster = builder.Build();
        await cluster.StartAsync();

        var failed = await WaitForAsync(cluster, "crasher", r => r.State == ResourceState.Failed);
        Assert.Equal(3, failed.Restarts);
        Assert.Equal(3, failed.ExitCode);
        Assert.Null(failed.ProcessId);
        Assert.Equal(4, cluster.Monitor.ConsoleLines("crasher").Count(l => l.Text == "boom"));
        Assert.Contains(cluster.Monitor.ConsoleLines("crasher"), l => l.Text.Contains("restarted 3 times in a row; giving up"));
    }

    [Fact]
    public async Task Restarts_back_off_doubling_each_time()
    {
        var builder = AppHost.CreateBuilder(Options(TimeSpan.FromMilliseconds(150)));
        builder.AddExecutable("crasher", "/bin/sh", "-c", "exit 1").WithMaxRestarts(3);
        await using var cluster = builder.Build();
        await cluster.StartAsync();
        await WaitForAsync(cluster, "crasher", r => r.State == ResourceState.Failed);

        var starts = cluster.Monitor.ConsoleLines("crasher").Where(l => l.Text.StartsWith("[dvdsim] started pid")).Select(l => l.At).ToList();
        Assert.Equal(4, starts.Count);
        // Lower bounds only: a delay is never shorter than asked, however busy the machine.
        Assert.True(starts[1] - starts[0] >= TimeSpan.FromMilliseconds(150), $"{starts[1] - starts[0]}");
        Assert.True(starts[2] - starts[1] >= TimeSpan.FromMilliseconds(300), $"{starts[2] - starts[1]}");
        Assert.True(starts[3] - starts[2] >= TimeSpan.FromMilliseconds(600), $"{starts[3] - starts[2]}");
    }

    [Fact]
    public async Task A_process_that_crashes_once_is_running_again_with_one_restart_counted()
    {
        using var work = new TempDirectory();
        var builder = AppHost.CreateBuilder(Options());
        builder.AddExecutable("flaky", "/bin/sh", "-c", "if [ -e crashed-once ]; then exec sleep 300; else touch crashed-once; exit 7; fi")
            .WithWorkingDirectory(work.Path);
        await using var cluster = builder.Build();
        await cluster.StartAsync();

        var running = await WaitForAsync(cluster, "flaky", r => r is { State: ResourceState.Running, Restarts: 1, ProcessId: not null });
        Assert.Equal(7, running.ExitCode); // the last exit is still reported
        var pid = running.ProcessId!.Value;
        for (var i = 0; i < 100 && LiveProcesses.Name(pid) != "sleep"; i++) await Task.Delay(50); // setsid, then sh, exec into sleep
        Assert.Equal("sleep", LiveProcesses.Name(pid));
    }

    [Fact]
    public async Task The_monitor_stops_starts_and_restarts_one_resource()
    {
        var builder = AppHost.CreateBuilder(Options());
        builder.AddExecutable("sleeper", "sleep", "300");
        await using var cluster = builder.Build();
        await cluster.StartAsync();
        var first = cluster.Monitor.Resources().Single().ProcessId!.Value;

        await cluster.Monitor.StopAsync("sleeper");
        Assert.Equal(ResourceState.Stopped, cluster.Monitor.Resources().Single().State);
        Assert.False(LiveProcesses.IsAlive(first));
        await Task.Delay(200);
        Assert.Equal(ResourceState.Stopped, cluster.Monitor.Resources().Single().State); // a stop is not a crash: no restart

        await cluster.Monitor.StartAsync("sleeper");
        var second = cluster.Monitor.Resources().Single();
        Assert.Equal(ResourceState.Running, second.State);
        Assert.NotEqual(first, second.ProcessId);

        await cluster.Monitor.RestartAsync("sleeper");
        var third = cluster.Monitor.Resources().Single();
        Assert.Equal(ResourceState.Running, third.State);
        Assert.NotEqual(second.ProcessId, third.ProcessId);
        Assert.False(LiveProcesses.IsAlive(second.ProcessId!.Value));
        Assert.Equal(0, third.Restarts); // only crashes count
    }

    [Fact]
    public async Task Stopping_ends_grandchildren_and_kills_what_ignores_SIGTERM_after_the_timeout()
    {
        var options = Options();
        options.StopTimeout = TimeSpan.FromSeconds(1);
        var builder = AppHost.CreateBuilder(options);
        builder.AddExecutable("family", "/bin/sh", "-c", "sleep 300 & sleep 300 & wait");
        builder.AddExecutable("stubborn", "/bin/sh", "-c", "trap '' TERM; sleep 300 & wait");
        await using var cluster = builder.Build();
        await cluster.StartAsync();
        await Task.Delay(300); // let the shells start their children
        var tree = cluster.Monitor.Resources().SelectMany(r => LiveProcesses.Descendants(r.ProcessId!.Value).Append(r.ProcessId.Value)).ToList();
        Assert.Equal(3, tree.Count(p => LiveProcesses.Name(p) == "sleep"));

        var clock = Stopwatch.StartNew();
        await cluster.StopAsync();
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(1)));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), "the stubborn shell should get its full grace period");
        Assert.All(cluster.Monitor.Resources(), r => Assert.Equal(ResourceState.Stopped, r.State));
    }
}
