using DvdSim.Model.Billing;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Shop;

/// <summary>The rental terms of a film, and when it became rentable.</summary>
public sealed record FilmTerms(int FilmId, decimal RentalRate, int RentalDuration, decimal ReplacementCost,
    DateOnly ReleasedOn, bool Boosted);

public sealed class Copy(int inventoryId, int filmId, int storeId, DateTime acquiredAt)
{
    public int InventoryId { get; } = inventoryId;
    public int FilmId { get; } = filmId;
    public int StoreId { get; } = storeId;
    public DateTime AcquiredAt { get; } = acquiredAt;
    /// <summary>The open rental holding this copy, or 0 when it is on the shelf.</summary>
    public long RentedBy { get; set; }
    /// <summary>Lost, or damaged beyond repair: gone from the shop for good.</summary>
    public bool Lost { get; set; }
    /// <summary>Back from maintenance at this time (MinValue when never in maintenance).</summary>
    public DateTime AvailableFrom { get; set; } = DateTime.MinValue;

    public bool RentableAt(DateTime at) => AcquiredAt <= at && AvailableFrom <= at;
}

public sealed class OpenRental(long rentalId, int customerId, Copy copy, int staffId, DateTime rentalDate, FilmTerms film, ReturnPlan plan)
{
    public long RentalId { get; } = rentalId;
    public int CustomerId { get; } = customerId;
    public Copy Copy { get; } = copy;
    public int StaffId { get; } = staffId;
    public DateTime RentalDate { get; } = rentalDate;
    public FilmTerms Film { get; } = film;
    public ReturnPlan Plan { get; } = plan;
}

/// <summary>A late fee not yet settled: billed on return, paid or written off later.</summary>
public sealed record OpenFee(long RentalId, int CustomerId, int StaffId, DateTime RentalDate, DateTime ReturnedAt,
    FilmTerms Film, FeePlan Plan);

public sealed class CustomerState(int id, int storeId, DateTime createdAt, double activity, bool loyal, string segment)
{
    public int Id { get; } = id;
    public int StoreId { get; } = storeId;
    public DateTime CreatedAt { get; } = createdAt;
    /// <summary>Relative rate at which this customer rents (segment × personal appetite).</summary>
    public double Activity { get; } = activity;
    public bool Loyal { get; } = loyal;
    public string Segment { get; } = segment;
    public DateOnly? ChurnedOn { get; set; }
    public DateTime? ReactivatedAt { get; set; }
    public DateTime? LastRentalAt { get; set; }
    public int OpenRentals { get; set; }
    /// <summary>Late fees billed and not yet paid or written off.</summary>
    public decimal Outstanding { get; set; }
    // The films rented lately and when, for the no-repeat rule: a short array searched from the
    // start (a customer rents a handful of films within the rule's window; a Dictionary per
    // customer cost twice the memory and ran as unoptimized JIT code in the services). Old entries
    // are dropped when the list grows, not swept every week: the rule compares times itself, so
    // when an entry goes changes no outcome, and a weekly sweep over every customer cost more than
    // the renting it served.
    private RecentFilm[] _recentFilms = [];
    private int _recentFilmCount;
    private const int RecentFilmsBeforePruning = 16;

    private struct RecentFilm(int filmId, DateTime at)
    {
        public readonly int FilmId = filmId;
        public DateTime At = at;
    }

    public int RecentFilmCount => _recentFilmCount;

    /// <summary>Whether the customer rented <paramref name="filmId"/> after <paramref name="since"/>.</summary>
    public bool RentedSince(int filmId, DateTime since)
    {
        var i = IndexOfRecent(filmId);
        return i >= 0 && _recentFilms[i].At > since;
    }

    /// <summary>
    /// Remembers a rental of <paramref name="filmId"/> at <paramref name="at"/>; rentals at or before
    /// <paramref name="forgetUpTo"/> no longer matter to the rule and may be forgotten.
    /// </summary>
    public void RememberRental(int filmId, DateTime at, DateTime forgetUpTo)
    {
        if (_recentFilmCount >= RecentFilmsBeforePruning)
        {
            var kept = 0;
            for (var i = 0; i < _recentFilmCount; i++)
                if (_recentFilms[i].At > forgetUpTo) _recentFilms[kept++] = _recentFilms[i];
            _recentFilmCount = kept;
        }
        var known = IndexOfRecent(filmId);
        if (known >= 0)
        {
            if (_recentFilms[known].At < at) _recentFilms[known].At = at;
            return;
        }
        if (_recentFilmCount == _recentFilms.Length)
            Array.Resize(ref _recentFilms, Math.Max(4, _recentFilms.Length * 2));
        _recentFilms[_recentFilmCount++] = new RecentFilm(filmId, at);
    }

    private int IndexOfRecent(int filmId)
    {
        for (var i = 0; i < _recentFilmCount; i++)
            if (_recentFilms[i].FilmId == filmId) return i;
        return -1;
    }

    public bool Active => ChurnedOn is null;

    public DateTime LastActivityAt
    {
        get
        {
            var last = CreatedAt;
            if (LastRentalAt is { } rented && rented > last) last = rented;
            if (ReactivatedAt is { } back && back > last) last = back;
            return last;
        }
    }
}

/// <summary>
/// The shop's customers, by id and in id order. Every week walks them all, in id order (it feeds
/// random draws); a sorted list does that without the tree walk of a sorted dictionary, and new
/// customers, whose ids only grow, go at its end.
/// </summary>
public sealed class CustomerRoll
{
    private readonly Dictionary<int, CustomerState> _byId = new();
    private readonly List<CustomerState> _inOrder = new();

    public CustomerState this[int id] => _byId[id];
    public int Count => _inOrder.Count;
    /// <summary>Every customer, in id order.</summary>
    public IReadOnlyList<CustomerState> Values => _inOrder;

    /// <summary>Adds a customer, or replaces the one with the same id.</summary>
    public void Add(CustomerState customer)
    {
        var known = _byId.ContainsKey(customer.Id);
        _byId[customer.Id] = customer;
        if (_inOrder.Count == 0 || _inOrder[^1].Id < customer.Id) { _inOrder.Add(customer); return; }
        var index = _inOrder.BinarySearch(customer, CustomerById.Instance);
        if (known) _inOrder[index] = customer;
        else _inOrder.Insert(~index, customer);
    }

    private sealed class CustomerById : IComparer<CustomerState>
    {
        public static readonly CustomerById Instance = new();
        public int Compare(CustomerState? x, CustomerState? y) => x!.Id.CompareTo(y!.Id);
    }
}

public enum ScheduledKind { RentalDue = 0, FeePaid = 1, FeeWrittenOff = 2, Repaired = 3 }

/// <summary>Something that will happen at a known time: a rental coming back, a fee settled, a copy repaired.</summary>
public readonly record struct Scheduled(DateTime At, ScheduledKind Kind, long Id) : IComparable<Scheduled>
{
    public int CompareTo(Scheduled other)
    {
        var c = At.CompareTo(other.At);
        if (c != 0) return c;
        c = Kind.CompareTo(other.Kind);
        return c != 0 ? c : Id.CompareTo(other.Id);
    }
}

/// <summary>
/// The shop's working state: every copy and whether it is out, open rentals and when each
/// comes back, open late fees, customers and their recent history. Everything here can be
/// rebuilt from the database (the Transaction service's ShopLoader does exactly that), and all
/// iteration that feeds a random draw goes in id order, so a rebuilt state simulates the next
/// week exactly as the original would have.
/// </summary>
public sealed class ShopState
{
    private readonly Dictionary<(int Film, int Store), List<Copy>> _freeCopies = new();

    public Dictionary<int, FilmTerms> Films { get; } = new();
    public Dictionary<int, Copy> Copies { get; } = new();
    public Dictionary<long, OpenRental> OpenRentals { get; } = new();
    public Dictionary<long, OpenFee> OpenFees { get; } = new();
    /// <summary>Everything due to happen, in time order.</summary>
    public Agenda Schedule { get; } = new();
    public CustomerRoll Customers { get; } = new();
    public SortedDictionary<int, int[]> StaffByStore { get; } = new();

    public long NextRentalId { get; set; } = 1;
    public int NextCustomerId { get; set; } = 1;
    public int NextAddressId { get; set; } = 1;
    /// <summary>The last week whose transactions are applied (0 before the first).</summary>
    public int LastWeek { get; set; }

    public void AddFilm(FilmTerms film) => Films[film.FilmId] = film;

    /// <summary>Adds a copy to the shelf; adding a known copy again changes nothing.</summary>
    public void AddCopy(int inventoryId, int filmId, int storeId, DateTime acquiredAt)
    {
        if (Copies.ContainsKey(inventoryId)) return;
        var copy = new Copy(inventoryId, filmId, storeId, acquiredAt);
        Copies.Add(inventoryId, copy);
        Shelve(copy);
    }

    public void AddCustomer(CustomerState customer) => Customers.Add(customer);

    /// <summary>Restores an open rental while rebuilding from the database.</summary>
    public void RestoreOpenRental(OpenRental rental)
    {
        CheckOut(rental);
        Customers[rental.CustomerId].OpenRentals++;
    }

    /// <summary>Opens a late fee that is not settled on return; its settlements are scheduled.</summary>
    public void OpenLateFee(OpenFee fee, DateTime asOf)
    {
        var outstanding = fee.Plan.OutstandingAt(asOf);
        if (outstanding <= 0) return;
        OpenFees[fee.RentalId] = fee;
        Customers[fee.CustomerId].Outstanding += outstanding;
        if (fee.Plan.PaidAt is { } paid && paid > asOf) Schedule.Add(new Scheduled(paid, ScheduledKind.FeePaid, fee.RentalId));
        if (fee.Plan.WrittenOffAt is { } off && off > asOf) Schedule.Add(new Scheduled(off, ScheduledKind.FeeWrittenOff, fee.RentalId));
    }

    public void SendToMaintenance(Copy copy, DateTime until)
    {
        copy.AvailableFrom = until;
        Schedule.Add(new Scheduled(until, ScheduledKind.Repaired, copy.InventoryId));
    }

    public void MarkLost(int inventoryId)
    {
        if (!Copies.TryGetValue(inventoryId, out var copy)) return;
        Unshelve(copy);
        copy.Lost = true;
    }

    /// <summary>Free copies of a film in a store, in inventory id order.</summary>
    public IReadOnlyList<Copy> FreeCopies(int filmId, int storeId) =>
        _freeCopies.TryGetValue((filmId, storeId), out var list) ? list : [];

    /// <summary>
    /// A copy on the shelf and rentable at <paramref name="at"/>: usually the newest (customers
    /// prefer newer discs), otherwise any of them.
    /// </summary>
    public Copy? PickCopy(int filmId, int storeId, DateTime at, double newerPreference, KeyedRandom random)
    {
        if (!_freeCopies.TryGetValue((filmId, storeId), out var list) || list.Count == 0) return null;
        Copy? newest = null;
        var eligible = 0;
        foreach (var copy in list)
        {
            if (!copy.RentableAt(at)) continue;
            eligible++;
            if (newest is null || copy.AcquiredAt >= newest.AcquiredAt) newest = copy;
        }
        // Draw only when there is a choice: copies not on the shelf yet (bought for a later day)
        // must not change the stream, whoever knows about them already.
        if (eligible == 0) return null;
        if (random.Chance(newerPreference)) return newest;
        var index = random.NextInt(eligible);
        foreach (var copy in list)
        {
            if (!copy.RentableAt(at)) continue;
            if (index-- == 0) return copy;
        }
        return newest;
    }

    public void CheckOut(OpenRental rental)
    {
        Unshelve(rental.Copy);
        rental.Copy.RentedBy = rental.RentalId;
        OpenRentals.Add(rental.RentalId, rental);
        Schedule.Add(new Scheduled(rental.Plan.At, ScheduledKind.RentalDue, rental.RentalId));
    }

    public void CheckIn(OpenRental rental)
    {
        OpenRentals.Remove(rental.RentalId);
        rental.Copy.RentedBy = 0;
        Shelve(rental.Copy);
    }

    /// <summary>The copy is gone for good (lost by the customer, or damaged beyond repair).</summary>
    public void WriteOff(OpenRental rental)
    {
        OpenRentals.Remove(rental.RentalId);
        rental.Copy.RentedBy = 0;
        rental.Copy.Lost = true;
    }

    private void Shelve(Copy copy)
    {
        if (copy.Lost || copy.RentedBy != 0) return;
        var key = (copy.FilmId, copy.StoreId);
        if (!_freeCopies.TryGetValue(key, out var list)) _freeCopies[key] = list = new List<Copy>();
        var index = list.BinarySearch(copy, CopyById.Instance);
        if (index < 0) list.Insert(~index, copy);
    }

    private void Unshelve(Copy copy)
    {
        if (!_freeCopies.TryGetValue((copy.FilmId, copy.StoreId), out var list)) return;
        var index = list.BinarySearch(copy, CopyById.Instance);
        if (index >= 0) list.RemoveAt(index);
    }

    private sealed class CopyById : IComparer<Copy>
    {
        public static readonly CopyById Instance = new();
        public int Compare(Copy? x, Copy? y) => x!.InventoryId.CompareTo(y!.InventoryId);
    }
}
