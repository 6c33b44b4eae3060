using System.Collections.Concurrent;
using DvdSim.Model.Shop;

namespace DvdSim.TransactionService;

/// <summary>The in-memory shop of each run this service is simulating, with its week simulation.</summary>
public sealed class RunShops
{
    private readonly ConcurrentDictionary<string, (ShopState State, WeekSimulation Simulation)> _shops = new(StringComparer.Ordinal);

    public bool TryGet(string database, out ShopState state, out WeekSimulation simulation)
    {
        if (_shops.TryGetValue(database, out var shop)) { (state, simulation) = shop; return true; }
        state = null!;
        simulation = null!;
        return false;
    }

    public void Set(string database, ShopState state, WeekSimulation simulation) => _shops[database] = (state, simulation);

    /// <summary>Drop a shop whose state can no longer be trusted; it is rebuilt from the database.</summary>
    public void Forget(string database) => _shops.TryRemove(database, out _);
}
