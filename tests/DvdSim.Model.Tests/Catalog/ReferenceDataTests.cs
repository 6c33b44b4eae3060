using DvdSim.Model.Catalog;

namespace DvdSim.Model.Tests.Catalog;

public class ReferenceDataTests
{
    [Fact]
    public void Categories_are_sakilas_sixteen_with_ids_one_to_sixteen()
    {
        string[] sakila =
        [
            "Action", "Animation", "Children", "Classics", "Comedy", "Documentary", "Drama", "Family",
            "Foreign", "Games", "Horror", "Music", "New", "Sci-Fi", "Sports", "Travel",
        ];
        var rows = ReferenceData.CategoryRows(new DateTime(2001, 1, 1));
        Assert.Equal(sakila, rows.Select(r => r.Name));
        Assert.Equal(Enumerable.Range(1, 16), rows.Select(r => r.CategoryId));
        Assert.Equal(11, ReferenceData.CategoryId("Horror"));
        Assert.Equal("Sci-Fi", ReferenceData.CategoryName(14));
    }

    [Fact]
    public void English_is_language_one_of_six()
    {
        var rows = ReferenceData.LanguageRows(new DateTime(2001, 1, 1));
        Assert.Equal(6, rows.Count);
        Assert.Equal((1, "English"), (rows[0].LanguageId, rows[0].Name));
        Assert.All(rows, r => Assert.InRange(r.Name.Length, 1, 20));
    }

    [Fact]
    public void Cities_belong_to_countries_and_fit_sakila_columns()
    {
        Assert.True(ReferenceData.Cities.Count >= 100);
        Assert.Equal(ReferenceData.Cities.Count, ReferenceData.Cities.Select(c => c.Name).Distinct().Count());
        Assert.All(ReferenceData.Cities, c =>
        {
            Assert.Equal(c, ReferenceData.CityById(c.CityId));
            Assert.InRange(c.CountryId, 1, ReferenceData.Countries.Count);
            Assert.InRange(c.District.Length, 1, 20);
            Assert.InRange(c.Name.Length, 1, 50);
        });
        Assert.All(ReferenceData.Countries, c => Assert.NotEmpty(ReferenceData.CitiesIn(c.CountryId)));
        Assert.All(ReferenceData.ChainCountryIds, id => Assert.True(ReferenceData.CitiesIn(id).Count >= 10));
        // Numbered alphabetically, as Sakila numbers them.
        Assert.Equal(ReferenceData.Countries.Select(c => c.Name).Order(StringComparer.Ordinal), ReferenceData.Countries.Select(c => c.Name));
    }
}
