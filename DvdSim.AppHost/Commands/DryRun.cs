using System.Diagnostics;
using System.Globalization;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Scenarios;

namespace DvdSim.AppHost.Commands;

/// <summary>
/// simulate --dry-run: the resolved scenario, and the volumes it will produce — computed by
/// playing the whole business in memory with the same model the services run (no servers).
/// </summary>
internal static class DryRun
{
    public static void Print(TextWriter output, Scenario scenario, string database)
    {
        output.WriteLine($"# Resolved scenario for database {database} (nothing is written)");
        output.WriteLine(ScenarioJson.Write(scenario));
        var clock = Stopwatch.StartNew();
        var weeks = scenario.StarterWeeks + scenario.Weeks;
        var totals = Rehearsal.Run(scenario, weeks);
        var c = CultureInfo.InvariantCulture;
        var calendar = WeekClock.For(scenario);
        output.WriteLine();
        output.WriteLine($"# Expected volumes ({weeks} weeks from {calendar.OpeningDate:yyyy-MM-dd}; computed in memory in {clock.Elapsed.TotalSeconds:0.0} s)");
        output.WriteLine(string.Create(c, $"  Rentals          {totals.Rentals,12:N0}   ({totals.AverageRentalsPerWeek:N1} a week on average)"));
        output.WriteLine(string.Create(c, $"  Returns          {totals.Returns,12:N0}   ({totals.LateReturns:N0} late)"));
        output.WriteLine(string.Create(c, $"  Lost copies      {totals.Lost,12:N0}"));
        output.WriteLine(string.Create(c, $"  Payments         {totals.Payments,12:N0}   ({totals.Revenue:N2} taken)"));
        output.WriteLine(string.Create(c, $"  Customers        {totals.Customers,12:N0}   ({totals.ActiveCustomers:N0} active at the end)"));
        output.WriteLine(string.Create(c, $"  Films            {totals.Films,12:N0}"));
        output.WriteLine(string.Create(c, $"  Inventory        {totals.Copies,12:N0}   copies ({totals.CopiesAdded:N0} bought during the run)"));
        output.WriteLine(string.Create(c, $"  Checked out      {totals.CheckedOut,12:N0}   at the end"));
        output.WriteLine(string.Create(c, $"  Unmet demand     {totals.UnmetDemand,12:N0}   (customers who found nothing to rent)"));
        output.WriteLine(string.Create(c, $"  Date range       {totals.FirstRental:yyyy-MM-dd} … {totals.LastRental:yyyy-MM-dd}"));
    }
}
