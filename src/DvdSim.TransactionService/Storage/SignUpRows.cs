using DvdSim.Model.Catalog;
using DvdSim.Model.Shop;

namespace DvdSim.TransactionService.Storage;

/// <summary>The customer and address rows of a sign-up, from the shared people factory.</summary>
public static class SignUpRows
{
    public static readonly string[] CustomerColumns =
        ["customer_id", "store_id", "first_name", "last_name", "email", "address_id", "active", "create_date", "last_update"];

    public static readonly string[] AddressColumns =
        ["address_id", "address", "address2", "district", "city_id", "postal_code", "phone", "last_update"];

    public static (object?[] Customer, object?[] Address) For(long seed, SignUp s)
    {
        var (customer, address) = PeopleFactory.Customer(seed, s.CustomerId, s.StoreId, s.AddressId, s.CreatedAt);
        return (
            [customer.CustomerId, customer.StoreId, customer.FirstName, customer.LastName, customer.Email, customer.AddressId,
                true, customer.CreateDate, customer.LastUpdate],
            [address.AddressId, address.Address, address.Address2, address.District, address.CityId, address.PostalCode,
                address.Phone, address.LastUpdate]);
    }
}
