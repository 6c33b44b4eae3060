using System.Diagnostics;
using DvdSim.AppHost.Benchmarks;

namespace DvdSim.AppHost.Tests.Benchmarks;

public class ProcessSamplerTests
{
    [Fact]
    public void Cpu_ticks_of_a_process_grow_while_it_computes_and_are_null_once_it_is_gone()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc only
        var before = ProcessSampler.StatTicks(Environment.ProcessId);
        Assert.NotNull(before);

        var watch = Stopwatch.StartNew();
        var x = 0UL;
        while (watch.ElapsedMilliseconds < 300) x = x * 6364136223846793005UL + 1442695040888963407UL;
        Assert.NotEqual(0UL, x | 1);

        var after = ProcessSampler.StatTicks(Environment.ProcessId);
        Assert.True(after - before >= 10, $"{before} → {after} ticks after 300 ms of computing"); // 100 ticks a second

        using var child = Process.Start("true")!;
        child.WaitForExit();
        var gone = child.Id;
        Assert.Null(ProcessSampler.StatTicks(gone));
    }
}
