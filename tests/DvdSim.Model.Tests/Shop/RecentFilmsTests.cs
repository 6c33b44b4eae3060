using DvdSim.Model.Shop;

namespace DvdSim.Model.Tests.Shop;

public sealed class RecentFilmsTests
{
    private static readonly DateTime Start = new(2001, 10, 1);

    private static CustomerState Customer() => new(1, storeId: 1, Start, activity: 1, loyal: false, "average");

    [Fact]
    public void A_film_counts_as_rented_since_a_time_only_when_its_last_rental_is_after_it()
    {
        var customer = Customer();
        customer.RememberRental(7, Start.AddDays(10), forgetUpTo: Start);

        Assert.True(customer.RentedSince(7, Start.AddDays(9)));
        Assert.False(customer.RentedSince(7, Start.AddDays(10)));
        Assert.False(customer.RentedSince(8, Start));
    }

    [Fact]
    public void An_earlier_rental_remembered_later_does_not_hide_the_last_one()
    {
        // The shop loader replays rentals from the database; the latest must win whatever the order.
        var customer = Customer();
        customer.RememberRental(7, Start.AddDays(20), forgetUpTo: Start);
        customer.RememberRental(7, Start.AddDays(5), forgetUpTo: Start);

        Assert.True(customer.RentedSince(7, Start.AddDays(19)));
    }

    [Fact]
    public void Rentals_outside_the_window_are_forgotten_as_new_ones_come_so_memory_stays_bounded()
    {
        var customer = Customer();
        const int window = 30;
        for (var day = 0; day < 3650; day++)
        {
            var at = Start.AddDays(day);
            customer.RememberRental(filmId: day, at, forgetUpTo: at.AddDays(-window));
            Assert.InRange(customer.RecentFilmCount, 1, window + 16);
        }
        var end = Start.AddDays(3649);
        // Every film of the last window is still known: forgetting never drops one the rule needs.
        for (var day = 3650 - window; day < 3650; day++) Assert.True(customer.RentedSince(day, end.AddDays(-window)));
    }
}
