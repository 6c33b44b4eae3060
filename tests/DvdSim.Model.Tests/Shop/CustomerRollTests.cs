using DvdSim.Model.Shop;

namespace DvdSim.Model.Tests.Shop;

public sealed class CustomerRollTests
{
    private static CustomerState Customer(int id, string segment = "average") =>
        new(id, storeId: 1, new DateTime(2001, 10, 1), activity: 1, loyal: false, segment);

    [Fact]
    public void Customers_are_walked_in_id_order_whatever_order_they_were_added_in_and_found_by_id()
    {
        var roll = new CustomerRoll();
        foreach (var id in new[] { 5, 2, 9, 1, 7, 10, 3 }) roll.Add(Customer(id));

        Assert.Equal([1, 2, 3, 5, 7, 9, 10], roll.Values.Select(c => c.Id));
        Assert.Equal(7, roll.Count);
        Assert.Equal(9, roll[9].Id);
        Assert.Throws<KeyNotFoundException>(() => roll[4]);
    }

    [Fact]
    public void Adding_a_known_id_replaces_that_customer_in_place()
    {
        var roll = new CustomerRoll();
        foreach (var id in new[] { 1, 2, 3 }) roll.Add(Customer(id));
        roll.Add(Customer(2, "loyal"));
        roll.Add(Customer(3, "loyal"));

        Assert.Equal([(1, "average"), (2, "loyal"), (3, "loyal")], roll.Values.Select(c => (c.Id, c.Segment)));
        Assert.Same(roll.Values[1], roll[2]);
    }
}
