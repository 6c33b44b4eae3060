namespace DvdSim.Model.Catalog;

// One record per Sakila table (and per extension table the Schema service fills), holding
// exactly the column values to insert. Timestamps are simulated time, never the machine clock,
// so that the same scenario always yields byte-identical tables.

public sealed record CountryRow(int CountryId, string Country, DateTime LastUpdate);

public sealed record CityRow(int CityId, string City, int CountryId, DateTime LastUpdate);

public sealed record LanguageRow(int LanguageId, string Name, DateTime LastUpdate);

public sealed record CategoryRow(int CategoryId, string Name, DateTime LastUpdate);

public sealed record ActorRow(int ActorId, string FirstName, string LastName, DateTime LastUpdate);

/// <summary>
/// A film. <see cref="Rating"/> is one of G, PG, PG-13, R, NC-17; <see cref="SpecialFeatures"/>
/// is the SET value as MySQL writes it (comma-separated, in the SET's declared order).
/// </summary>
public sealed record FilmRow(
    int FilmId,
    string Title,
    string Description,
    int ReleaseYear,
    int LanguageId,
    int? OriginalLanguageId,
    int RentalDuration,
    decimal RentalRate,
    int Length,
    decimal ReplacementCost,
    string Rating,
    string SpecialFeatures,
    DateTime LastUpdate);

public sealed record FilmActorRow(int ActorId, int FilmId, DateTime LastUpdate);

public sealed record FilmCategoryRow(int FilmId, int CategoryId, DateTime LastUpdate);

/// <summary>An address; Sakila's <c>location</c> column is left NULL (DvdSim invents no coordinates).</summary>
public sealed record AddressRow(
    int AddressId,
    string Address,
    string? Address2,
    string District,
    int CityId,
    string? PostalCode,
    string Phone,
    DateTime LastUpdate);

public sealed record StoreRow(int StoreId, int ManagerStaffId, int AddressId, DateTime LastUpdate);

/// <summary>A member of staff; <c>picture</c> stays NULL. <see cref="Password"/> is a SHA-1 hex digest, as in Sakila.</summary>
public sealed record StaffRow(
    int StaffId,
    string FirstName,
    string LastName,
    int AddressId,
    string Email,
    int StoreId,
    bool Active,
    string Username,
    string Password,
    DateTime LastUpdate);

public sealed record CustomerRow(
    int CustomerId,
    int StoreId,
    string FirstName,
    string LastName,
    string Email,
    int AddressId,
    bool Active,
    DateTime CreateDate,
    DateTime LastUpdate);

/// <summary>DvdSim's extension table <c>customer_profile</c>: how a customer behaves in the simulation.</summary>
public sealed record CustomerProfileRow(int CustomerId, string Segment, bool Loyal, double Activity, DateOnly? ChurnedOn);
