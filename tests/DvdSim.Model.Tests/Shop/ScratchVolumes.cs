using DvdSim.Model.Scenarios;
using Xunit.Abstractions;
namespace DvdSim.Model.Tests.Shop;
public class ScratchVolumes(ITestOutputHelper output)
{
    [Theory]
    [InlineData("standard-3y")]
    [InlineData("extended-10y")]
    public void Print(string preset)
    {
        var s = ScenarioLoader.Resolve(preset);
        var state = TestShop.Open(s);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var o = TestShop.Simulate(s, s.Weeks + s.StarterWeeks, state);
        output.WriteLine($"{preset}: {sw.ElapsedMilliseconds} ms rentals={o.Sum(x => x.NewRentals.Count)} unmet={o.Sum(x=>x.UnmetDemand)} active={o[^1].ActiveCustomers} checkedout={o[^1].CheckedOut} customers={state.Customers.Count} lost={o.Sum(x=>x.Lost.Count)} avg/wk={o.Average(x=>x.NewRentals.Count):F0} first10={o.Take(10).Average(x=>x.NewRentals.Count):F0} last10={o.TakeLast(10).Average(x=>x.NewRentals.Count):F0}");
    }
}
