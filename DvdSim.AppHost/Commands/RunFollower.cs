using System.Diagnostics;
using System.Globalization;
using DvdSim.Contracts;

namespace DvdSim.AppHost.Commands;

/// <summary>Follows a run to its end with a progress bar, then prints its final statistics.</summary>
internal static class RunFollower
{
    /// <summary>Returns true when the run completed, false when it failed (the reason is printed).</summary>
    public static async Task<bool> FollowAsync(CoordinatorClient coordinator, string database, TextWriter output, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var interactive = !Console.IsOutputRedirected && output == Console.Out;
        var lastPrinted = -1;
        RunView run;
        var unreachableSince = (DateTime?)null;
        while (true)
        {
            try
            {
                run = await coordinator.RunAsync(database, ct);
                unreachableSince = null;
            }
            catch (HttpRequestException e)
            {
                // The orchestrator restarts a coordinator that crashed, and the coordinator resumes
                // the run: wait for it a while rather than give up at once.
                unreachableSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - unreachableSince > TimeSpan.FromSeconds(60))
                    throw new CoordinatorException(System.Net.HttpStatusCode.ServiceUnavailable,
                        $"the coordinator has not answered for 60 s ({e.Message}); the run is kept in database {database} and can be resumed with simulate");
                await Task.Delay(1000, ct);
                continue;
            }
            if (interactive)
                output.Write($"\r  {Bar(run)} week {run.WeeksDone,4}/{run.WeeksTarget}  {run.Rentals,10:N0} rentals  {Eta(run),-12}");
            else if (run.WeeksTarget > 0 && run.WeeksDone * 10 / run.WeeksTarget is var tenth && tenth > lastPrinted)
            {
                lastPrinted = tenth;
                output.WriteLine($"  week {run.WeeksDone}/{run.WeeksTarget}  {run.Rentals:N0} rentals  {Eta(run)}");
            }
            if (run.State is "completed" or "failed") break;
            await Task.Delay(200, ct);
        }
        if (interactive) output.WriteLine();
        if (run.State == "failed")
        {
            output.WriteLine($"Run {database} failed after week {run.WeeksDone}: {run.Error}");
            return false;
        }
        var stats = await coordinator.StatisticsAsync(database, ct);
        Print(output, database, stats, clock.Elapsed);
        return true;
    }

    public static void Print(TextWriter output, string database, RunStatistics s, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine($"Run {database}: {s.WeeksCompleted} weeks simulated, followed for {elapsed.TotalSeconds:0.0} s");
        output.WriteLine(string.Create(c, $"  Rentals          {s.TotalRentals,12:N0}   ({s.AverageRentalsPerWeek:N1} a week on average)"));
        output.WriteLine(string.Create(c, $"  Date range       {s.FirstRental:yyyy-MM-dd} … {s.LastRental:yyyy-MM-dd}"));
        output.WriteLine(string.Create(c, $"  Customers        {s.Customers,12:N0}   ({s.ActiveCustomers:N0} active)"));
        output.WriteLine(string.Create(c, $"  Inventory        {s.Inventory,12:N0}   copies ({s.InventoryAdded:N0} bought during the run, {s.InventoryLost:N0} lost)"));
        output.WriteLine(string.Create(c, $"  Checked out      {s.CheckedOut,12:N0}"));
        output.WriteLine(string.Create(c, $"  Films            {s.Films,12:N0}"));
        output.WriteLine(string.Create(c, $"  Payments         {s.Payments,12:N0}   ({s.Revenue:N2} taken)"));
        output.WriteLine(string.Create(c, $"  Late fees        {s.LateFees,12:N0}   ({s.Receivables:N2} still owed)"));
    }

    private static string Bar(RunView run)
    {
        const int width = 30;
        var filled = run.WeeksTarget == 0 ? 0 : (int)Math.Round(width * run.WeeksDone / (double)run.WeeksTarget);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    private static string Eta(RunView run) => run.State switch
    {
        "preparing" => "preparing",
        "running" when run.EtaSeconds is { } eta => string.Create(CultureInfo.InvariantCulture, $"ETA {eta:0.0} s"),
        _ => run.State,
    };
}
