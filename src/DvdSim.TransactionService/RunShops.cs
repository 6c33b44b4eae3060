using System.Collections.Concurrent;
using DvdSim.Model.Shop;

namespace DvdSim.TransactionService;

/// <summary>The in-memory shop of each run this service is simulating.</summary>
public sealed class RunShops
{
    private readonly ConcurrentDictionary<string, RunShop> _shops = new(StringComparer.Ordinal);

    public RunShop For(string database) => _shops.GetOrAdd(database, _ => new RunShop());
}

/// <summary>A run's shop state and the week simulation that moves it on.</summary>
public sealed record Shop(ShopState State, WeekSimulation Simulation);

/// <summary>
/// One run's shop, and the order its weeks go in. Weeks are simulated one at a time and strictly
/// in order (<see cref="Turn"/>); each week's write waits for the previous week's commit
/// (<see cref="HandOnWrite"/>), but not the other way round, so week w+1 is simulated while week w
/// is being written. A failed write drops the state (<see cref="Forget"/>): whatever was simulated
/// on top of it is thrown away and rebuilt from the database.
/// </summary>
public sealed class RunShop
{
    private Shop? _current;
    private Task _lastWrite = Task.CompletedTask;
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Held while a week is simulated or the state rebuilt. Never held while waiting for a write.</summary>
    public SemaphoreSlim Turn { get; } = new(1, 1);

    /// <summary>The state, or null when there is none yet or it can no longer be trusted.</summary>
    public Shop? Current => Volatile.Read(ref _current);

    /// <summary>Completes when the last week handed on is committed (or has failed). Read under <see cref="Turn"/>.</summary>
    public Task LastWrite => _lastWrite;

    /// <summary>Completes the next time a week is simulated or the state is rebuilt.</summary>
    public Task Advanced => Volatile.Read(ref _advanced).Task;

    /// <summary>
    /// A state just rebuilt from the database (under <see cref="Turn"/>, once the last write has
    /// landed): weeks simulated from here wait for nothing written before it, failed or not.
    /// </summary>
    public void Set(Shop shop)
    {
        Volatile.Write(ref _current, shop);
        _lastWrite = Task.CompletedTask;
        Advance();
    }

    /// <summary>Drops the state if it is still <paramref name="shop"/> (a newer, rebuilt one is kept).</summary>
    public void Forget(Shop shop) => Interlocked.CompareExchange(ref _current, null, shop);

    /// <summary>Records the write of the week just simulated (under <see cref="Turn"/>); returns the previous week's, to wait for.</summary>
    public Task HandOnWrite(Task write)
    {
        var previous = _lastWrite;
        _lastWrite = write;
        Advance();
        return previous;
    }

    private void Advance() =>
        Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
