using DvdSim.Model.Shop;

namespace DvdSim.Model.Tests.Shop;

public sealed class AgendaTests
{
    private static readonly DateTime Start = new(2001, 10, 1);

    [Fact]
    public void Entries_come_out_in_the_order_a_sorted_set_keeps_them_and_an_entry_added_twice_comes_out_once()
    {
        var random = new Random(42);
        var agenda = new Agenda();
        var sorted = new SortedSet<Scheduled>();
        for (var i = 0; i < 5_000; i++)
        {
            // Few distinct times and ids, so that ties on time and on kind, and exact repeats, are common.
            var entry = new Scheduled(Start.AddHours(random.Next(200)), (ScheduledKind)random.Next(4), random.Next(50));
            agenda.Add(entry);
            sorted.Add(entry);
            if (i % 7 == 0) agenda.Add(entry); // the same entry again
        }

        var taken = new List<Scheduled>();
        while (agenda.TryTakeBefore(DateTime.MaxValue, out var next)) taken.Add(next);

        Assert.Equal(sorted.ToList(), taken);
        Assert.Equal(0, agenda.Count);
    }

    [Fact]
    public void Only_entries_due_before_the_limit_are_taken_and_the_rest_wait_for_later_weeks()
    {
        var agenda = new Agenda();
        foreach (var day in new[] { 9, 3, 7, 1, 5 }) agenda.Add(new Scheduled(Start.AddDays(day), ScheduledKind.RentalDue, day));

        var firstWeek = new List<long>();
        while (agenda.TryTakeBefore(Start.AddDays(7), out var next)) firstWeek.Add(next.Id);
        agenda.Add(new Scheduled(Start.AddDays(8), ScheduledKind.FeePaid, 8)); // scheduled during the second week

        Assert.Equal([1, 3, 5], firstWeek);
        Assert.Equal(3, agenda.Count);
        Assert.True(agenda.TryTakeBefore(Start.AddDays(14), out var due));
        Assert.Equal(7, due.Id);
    }
}
