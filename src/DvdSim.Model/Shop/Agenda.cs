namespace DvdSim.Model.Shop;

/// <summary>
/// Everything due to happen (rentals coming back, fees settled, copies repaired), taken earliest
/// first: a binary min-heap ordered as <see cref="Scheduled.CompareTo"/> orders. Adding an entry
/// that is already there changes nothing, as in a set.
/// </summary>
/// <remarks>
/// Written here rather than used from the framework: the services run ahead-of-time compiled code,
/// and a <c>SortedSet&lt;Scheduled&gt;</c>'s generic code over a type of this assembly is not in
/// those images, so it ran as unoptimized JIT code (about 7 % of the Transaction service's CPU).
/// </remarks>
public sealed class Agenda
{
    private Scheduled[] _heap = new Scheduled[256];
    private int _count;

    /// <summary>Entries waiting (an entry added twice counts until it is taken).</summary>
    public int Count => _count;

    public void Add(Scheduled entry)
    {
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        var i = _count++;
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (_heap[parent].CompareTo(entry) <= 0) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = entry;
    }

    /// <summary>Takes the earliest entry if it is due before <paramref name="until"/>.</summary>
    public bool TryTakeBefore(DateTime until, out Scheduled next)
    {
        next = default;
        if (_count == 0 || _heap[0].At >= until) return false;
        next = _heap[0];
        RemoveFirst();
        // The same entry added twice comes out once: its copy is the new minimum.
        while (_count > 0 && _heap[0].CompareTo(next) == 0) RemoveFirst();
        return true;
    }

    private void RemoveFirst()
    {
        var last = _heap[--_count];
        _heap[_count] = default;
        if (_count == 0) return;
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && _heap[child + 1].CompareTo(_heap[child]) < 0) child++;
            if (last.CompareTo(_heap[child]) <= 0) break;
            _heap[i] = _heap[child];
            i = child;
        }
        _heap[i] = last;
    }
}
