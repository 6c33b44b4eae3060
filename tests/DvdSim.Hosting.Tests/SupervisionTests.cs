using System.Collections.Concurrent;
using DvdSim.Hosting.Tests.Support;

namespace DvdSim.Hosting.Tests;

/// <summary>
/// DCP leaves a crashed process exited: DvdSim restarts it with back-off and counts it; a stop
/// asked for is not a crash; stopping the cluster ends whole process trees.
/// </summary>
public sealed class SupervisionTests
{
    private static AppHostOptions Options(TimeSpan? backoff = null, int maxRestarts = 5) => new()
    {
        Ephemeral = true,
        RestartBackoff = backoff ?? TimeSpan.FromMilliseconds(20),
        MaxRestarts = maxRestarts,
    };

    [Fact]
    public async Task A_process_that_keeps_crashing_is_restarted_up_to_the_limit_then_failed()
    {
        // It must be healthy once for the start to succeed: it crashes from its second start on.
        using var work = new TempDirectory();
        await using var cluster = await Clusters.StartAsync(Options(maxRestarts: 3), (builder, _) =>
            builder.AddExecutable("crasher", "/bin/sh", work.Path, "-c", "echo boom; if [ -e started ]; then exit 3; fi; touch started; sleep 1; exit 3"));

        var failed = await cluster.WaitForAsync("crasher", r => r.State == ResourceState.Failed);
        Assert.Equal(3, failed.Restarts);
        Assert.Equal(3, failed.ExitCode);
        Assert.Null(failed.ProcessId);
        await Task.Delay(500); // console lines arrive on their own path
        Assert.Equal(4, cluster.Monitor.ConsoleLines("crasher").Count(l => l.Text == "boom"));
    }

    [Fact]
    public async Task Restarts_back_off_doubling_each_time()
    {
        using var work = new TempDirectory();
        var starts = new ConcurrentQueue<DateTimeOffset>();
        await using var cluster = await Clusters.StartAsync(Options(TimeSpan.FromMilliseconds(300), maxRestarts: 3), (builder, _) =>
            builder.AddExecutable("crasher", "/bin/sh", work.Path, "-c", "if [ -e started ]; then exit 1; fi; touch started; sleep 1; exit 1"),
            changes: r => { if (r.Name == "crasher" && r.State == ResourceState.Restarting) starts.Enqueue(DateTimeOffset.UtcNow); });
        await cluster.WaitForAsync("crasher", r => r.State == ResourceState.Failed, TimeSpan.FromSeconds(60));

        var restarts = starts.ToList();
        Assert.Equal(3, restarts.Count);
        // Lower bounds only: a restart waits its back-off, then the process starts and exits again.
        Assert.True(restarts[1] - restarts[0] >= TimeSpan.FromMilliseconds(300), $"{restarts[1] - restarts[0]}");
        Assert.True(restarts[2] - restarts[1] >= TimeSpan.FromMilliseconds(600), $"{restarts[2] - restarts[1]}");
    }

    [Fact]
    public async Task A_process_that_crashes_once_is_running_again_with_one_restart_counted()
    {
        using var work = new TempDirectory();
        await using var cluster = await Clusters.StartAsync(Options(), (builder, _) =>
            builder.AddExecutable("flaky", "/bin/sh", work.Path, "-c", "if [ -e crashed-once ]; then exec sleep 300; else touch crashed-once; sleep 1; exit 7; fi"));

        var running = await cluster.WaitForAsync("flaky", r => r is { State: ResourceState.Running, Restarts: 1, ProcessId: not null });
        var pid = running.ProcessId!.Value;
        for (var i = 0; i < 100 && LiveProcesses.Name(pid) != "sleep"; i++) await Task.Delay(50); // sh execs into sleep
        Assert.Equal("sleep", LiveProcesses.Name(pid));
    }

    [Fact]
    public async Task The_monitor_stops_starts_and_restarts_one_resource_and_a_stop_is_not_a_crash()
    {
        using var work = new TempDirectory();
        await using var cluster = await Clusters.StartAsync(Options(), (builder, _) => builder.AddExecutable("sleeper", "sleep", work.Path, "300"));
        var first = cluster.Resource("sleeper").ProcessId!.Value;

        await cluster.Monitor.StopAsync("sleeper");
        await cluster.WaitForAsync("sleeper", r => r.State == ResourceState.Stopped);
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync([first], TimeSpan.FromSeconds(5)));
        await Task.Delay(500);
        Assert.Equal(ResourceState.Stopped, cluster.Resource("sleeper").State); // no restart

        await cluster.Monitor.StartAsync("sleeper");
        var second = await cluster.WaitForAsync("sleeper", r => r.State == ResourceState.Running && r.ProcessId is { } pid && pid != first);

        await cluster.Monitor.RestartAsync("sleeper");
        var third = await cluster.WaitForAsync("sleeper", r => r.State == ResourceState.Running && r.ProcessId is { } pid && pid != second.ProcessId);
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync([second.ProcessId!.Value], TimeSpan.FromSeconds(5)));
        Assert.Equal(0, third.Restarts); // only crashes count
    }

    [Fact]
    public async Task Stopping_the_cluster_ends_grandchildren_and_what_ignores_SIGTERM()
    {
        using var work = new TempDirectory();
        var options = Options();
        options.StopTimeout = TimeSpan.FromSeconds(5);
        var cluster = await Clusters.StartAsync(options, (builder, _) =>
        {
            builder.AddExecutable("family", "/bin/sh", work.Path, "-c", "sleep 300 & sleep 300 & wait");
            builder.AddExecutable("stubborn", "/bin/sh", work.Path, "-c", "trap '' TERM; sleep 300 & wait");
        });
        await Task.Delay(500); // let the shells start their children
        var tree = cluster.Monitor.Resources().SelectMany(r => LiveProcesses.Descendants(r.ProcessId!.Value).Append(r.ProcessId.Value)).ToList();
        Assert.Equal(3, tree.Count(p => LiveProcesses.Name(p) == "sleep"));

        await cluster.DisposeAsync();
        var left = await LiveProcesses.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(5));
        Assert.True(left.Count == 0, "left behind: " + LiveProcesses.Describe(left));
    }
}
