using DvdSim.Model.Catalog;
using MySqlConnector;

namespace DvdSim.SchemaService.Storage;

/// <summary>
/// Writes the base data with one LOAD DATA per table, inside the caller's transaction. The
/// caller's session has FOREIGN_KEY_CHECKS = 0 (store and staff refer to each other) and
/// time_zone = '+00:00' (TIMESTAMPs are stored as written, with no daylight-saving gaps).
/// </summary>
public static class BaseDataWriter
{
    public static async Task WriteAsync(MySqlConnection connection, MySqlTransaction transaction, BaseData data, CancellationToken ct)
    {
        await Load(connection, transaction, "country", ["country_id", "country", "last_update"],
            data.Countries.Select(r => Row(r.CountryId, r.Country, r.LastUpdate)), ct);
        await Load(connection, transaction, "city", ["city_id", "city", "country_id", "last_update"],
            data.Cities.Select(r => Row(r.CityId, r.City, r.CountryId, r.LastUpdate)), ct);
        await Load(connection, transaction, "language", ["language_id", "name", "last_update"],
            data.Languages.Select(r => Row(r.LanguageId, r.Name, r.LastUpdate)), ct);
        await Load(connection, transaction, "category", ["category_id", "name", "last_update"],
            data.Categories.Select(r => Row(r.CategoryId, r.Name, r.LastUpdate)), ct);
        await Load(connection, transaction, "actor", ["actor_id", "first_name", "last_name", "last_update"],
            data.Actors.Select(r => Row(r.ActorId, r.FirstName, r.LastName, r.LastUpdate)), ct);
        // film_text is filled by the ins_film trigger, which LOAD DATA fires.
        await Load(connection, transaction, "film",
            ["film_id", "title", "description", "release_year", "language_id", "original_language_id", "rental_duration",
                "rental_rate", "length", "replacement_cost", "rating", "special_features", "last_update"],
            data.Films.Select(f => Row(f.FilmId, f.Title, f.Description, f.ReleaseYear, f.LanguageId, f.OriginalLanguageId,
                f.RentalDuration, f.RentalRate, f.Length, f.ReplacementCost, f.Rating, f.SpecialFeatures, f.LastUpdate)), ct);
        await Load(connection, transaction, "film_actor", ["actor_id", "film_id", "last_update"],
            data.FilmActors.Select(r => Row(r.ActorId, r.FilmId, r.LastUpdate)), ct);
        await Load(connection, transaction, "film_category", ["film_id", "category_id", "last_update"],
            data.FilmCategories.Select(r => Row(r.FilmId, r.CategoryId, r.LastUpdate)), ct);
        await Load(connection, transaction, "address",
            ["address_id", "address", "address2", "district", "city_id", "postal_code", "phone", "last_update"],
            data.Addresses.Select(a => Row(a.AddressId, a.Address, a.Address2, a.District, a.CityId, a.PostalCode, a.Phone, a.LastUpdate)), ct);
        await Load(connection, transaction, "store", ["store_id", "manager_staff_id", "address_id", "last_update"],
            data.Stores.Select(s => Row(s.StoreId, s.ManagerStaffId, s.AddressId, s.LastUpdate)), ct);
        await Load(connection, transaction, "staff",
            ["staff_id", "first_name", "last_name", "address_id", "email", "store_id", "active", "username", "password", "last_update"],
            data.Staff.Select(s => Row(s.StaffId, s.FirstName, s.LastName, s.AddressId, s.Email, s.StoreId, s.Active, s.Username,
                s.Password, s.LastUpdate)), ct);
        await Load(connection, transaction, "customer",
            ["customer_id", "store_id", "first_name", "last_name", "email", "address_id", "active", "create_date", "last_update"],
            data.Customers.Select(c => Row(c.CustomerId, c.StoreId, c.FirstName, c.LastName, c.Email, c.AddressId, c.Active,
                c.CreateDate, c.LastUpdate)), ct);
        await Load(connection, transaction, "customer_profile", ["customer_id", "segment", "loyal", "activity", "churned_on"],
            data.CustomerProfiles.Select(p => Row(p.CustomerId, p.Segment, p.Loyal, p.Activity, p.ChurnedOn)), ct);
    }

    private static object?[] Row(params object?[] values) => values;

    private static async Task Load(MySqlConnection connection, MySqlTransaction transaction, string table,
        IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        await TableWriter.LoadAsync(connection, transaction, table, columns, rows, ct);
        // LOAD DATA ... IGNORE turns a skipped duplicate or a truncated value into a mere warning;
        // base data goes into empty tables, so any warning is a defect worth failing the run for.
        var warnings = new List<string>();
        await using (var command = new MySqlCommand("SHOW WARNINGS LIMIT 3", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                warnings.Add($"{reader.GetValue(0)} {reader.GetValue(1)}: {reader.GetValue(2)}");
        }
        if (warnings.Count > 0)
            throw new InvalidOperationException($"loading {table}: " + string.Join("; ", warnings));
    }
}
