namespace DvdSim.Model.Catalog;

/// <summary>A country of the reference data, with the shapes its postal codes and phone numbers take.</summary>
/// <param name="PostalFormat">Bogus pattern: # a digit, ? a letter.</param>
/// <param name="PhoneFormat">Bogus pattern of a phone number (digits only, as in Sakila).</param>
public sealed record Country(int CountryId, string Name, string PostalFormat, string PhoneFormat);

/// <summary>A city and the district (state, province, region) it lies in.</summary>
public sealed record City(int CityId, string Name, int CountryId, string District);

/// <summary>
/// The fixed reference tables: countries, cities, languages and Sakila's 16 categories. Ids are
/// stable (countries and cities numbered in alphabetical order, as Sakila numbers them), so every
/// service can refer to them without reading the database.
/// </summary>
public static class ReferenceData
{
    public const int EnglishLanguageId = 1;

    /// <summary>English first, then Sakila's other five.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["English", "Italian", "Japanese", "Mandarin", "French", "German"];

    /// <summary>Sakila's categories; the id of each is its position + 1 (Action = 1 … Travel = 16).</summary>
    public static IReadOnlyList<string> Categories { get; } =
    [
        "Action", "Animation", "Children", "Classics", "Comedy", "Documentary", "Drama", "Family",
        "Foreign", "Games", "Horror", "Music", "New", "Sci-Fi", "Sports", "Travel",
    ];

    public static int CategoryCount => Categories.Count;

    public static string CategoryName(int categoryId) =>
        categoryId >= 1 && categoryId <= Categories.Count
            ? Categories[categoryId - 1]
            : throw new ArgumentOutOfRangeException(nameof(categoryId), categoryId, $"category ids run from 1 to {Categories.Count}");

    public static int CategoryId(string name)
    {
        for (var i = 0; i < Categories.Count; i++)
            if (string.Equals(Categories[i], name, StringComparison.OrdinalIgnoreCase)) return i + 1;
        throw new ArgumentException($"unknown category '{name}'", nameof(name));
    }

    public static IReadOnlyList<Country> Countries { get; }

    public static IReadOnlyList<City> Cities { get; }

    /// <summary>Countries a chain's stores are placed in (each has enough cities for a chain).</summary>
    public static IReadOnlyList<int> ChainCountryIds { get; }

    public static Country CountryById(int countryId) => Countries[countryId - 1];

    public static City CityById(int cityId) => Cities[cityId - 1];

    public static IReadOnlyList<City> CitiesIn(int countryId) => CitiesByCountry[countryId];

    public static IReadOnlyList<CountryRow> CountryRows(DateTime lastUpdate) =>
        Countries.Select(c => new CountryRow(c.CountryId, c.Name, lastUpdate)).ToArray();

    public static IReadOnlyList<CityRow> CityRows(DateTime lastUpdate) =>
        Cities.Select(c => new CityRow(c.CityId, c.Name, c.CountryId, lastUpdate)).ToArray();

    public static IReadOnlyList<LanguageRow> LanguageRows(DateTime lastUpdate) =>
        Languages.Select((name, i) => new LanguageRow(i + 1, name, lastUpdate)).ToArray();

    public static IReadOnlyList<CategoryRow> CategoryRows(DateTime lastUpdate) =>
        Categories.Select((name, i) => new CategoryRow(i + 1, name, lastUpdate)).ToArray();

    private static readonly Dictionary<int, IReadOnlyList<City>> CitiesByCountry;

    static ReferenceData()
    {
        (string Name, string Postal, string Phone)[] countries =
        [
            ("Argentina", "?####???", "##########"),
            ("Australia", "####", "04########"),
            ("Austria", "####", "0##########"),
            ("Brazil", "#####-###", "###########"),
            ("Canada", "?#? #?#", "##########"),
            ("China", "######", "1##########"),
            ("France", "#####", "0#########"),
            ("Germany", "#####", "0##########"),
            ("India", "######", "##########"),
            ("Ireland", "?## ????", "08########"),
            ("Italy", "#####", "3#########"),
            ("Japan", "###-####", "0##########"),
            ("Mexico", "#####", "##########"),
            ("Netherlands", "#### ??", "06########"),
            ("New Zealand", "####", "02########"),
            ("Nigeria", "######", "080########"),
            ("Poland", "##-###", "#########"),
            ("South Africa", "####", "0#########"),
            ("South Korea", "#####", "010########"),
            ("Spain", "#####", "6########"),
            ("Sweden", "### ##", "07########"),
            ("United Kingdom", "??# #??", "07#########"),
            ("United States", "#####", "##########"),
        ];
        Countries = countries
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select((c, i) => new Country(i + 1, c.Name, c.Postal, c.Phone))
            .ToArray();
        var countryId = Countries.ToDictionary(c => c.Name, c => c.CountryId);

        (string City, string Country, string District)[] cities =
        [
            ("Buenos Aires", "Argentina", "Buenos Aires"), ("Córdoba", "Argentina", "Córdoba"),
            ("Rosario", "Argentina", "Santa Fe"), ("Mendoza", "Argentina", "Mendoza"),

            ("Sydney", "Australia", "New South Wales"), ("Melbourne", "Australia", "Victoria"),
            ("Brisbane", "Australia", "Queensland"), ("Perth", "Australia", "Western Australia"),
            ("Adelaide", "Australia", "South Australia"), ("Gold Coast", "Australia", "Queensland"),
            ("Canberra", "Australia", "ACT"), ("Newcastle", "Australia", "New South Wales"),
            ("Hobart", "Australia", "Tasmania"), ("Darwin", "Australia", "Northern Territory"),
            ("Geelong", "Australia", "Victoria"), ("Townsville", "Australia", "Queensland"),
            ("Wollongong", "Australia", "New South Wales"), ("Woodridge", "Australia", "Queensland"),

            ("Vienna", "Austria", "Vienna"), ("Graz", "Austria", "Styria"),
            ("Linz", "Austria", "Upper Austria"), ("Salzburg", "Austria", "Salzburg"),

            ("São Paulo", "Brazil", "São Paulo"), ("Rio de Janeiro", "Brazil", "Rio de Janeiro"),
            ("Brasília", "Brazil", "Distrito Federal"), ("Salvador", "Brazil", "Bahia"),
            ("Curitiba", "Brazil", "Paraná"),

            ("Toronto", "Canada", "Ontario"), ("Montréal", "Canada", "Quebec"),
            ("Vancouver", "Canada", "British Columbia"), ("Calgary", "Canada", "Alberta"),
            ("Edmonton", "Canada", "Alberta"), ("Ottawa", "Canada", "Ontario"),
            ("Winnipeg", "Canada", "Manitoba"), ("Quebec City", "Canada", "Quebec"),
            ("Hamilton", "Canada", "Ontario"), ("Halifax", "Canada", "Nova Scotia"),
            ("Victoria", "Canada", "British Columbia"), ("Saskatoon", "Canada", "Saskatchewan"),
            ("Regina", "Canada", "Saskatchewan"), ("Lethbridge", "Canada", "Alberta"),
            ("Kitchener", "Canada", "Ontario"), ("St. John's", "Canada", "Newfoundland"),

            ("Beijing", "China", "Beijing"), ("Shanghai", "China", "Shanghai"),
            ("Guangzhou", "China", "Guangdong"), ("Shenzhen", "China", "Guangdong"),
            ("Chengdu", "China", "Sichuan"),

            ("Paris", "France", "Île-de-France"), ("Lyon", "France", "Rhône"),
            ("Marseille", "France", "Bouches-du-Rhône"), ("Toulouse", "France", "Haute-Garonne"),
            ("Nice", "France", "Alpes-Maritimes"),

            ("Berlin", "Germany", "Berlin"), ("Hamburg", "Germany", "Hamburg"),
            ("Munich", "Germany", "Bavaria"), ("Cologne", "Germany", "Nordrhein-Westfalen"),
            ("Frankfurt", "Germany", "Hesse"), ("Stuttgart", "Germany", "Baden-Württemberg"),

            ("Mumbai", "India", "Maharashtra"), ("Delhi", "India", "Delhi"),
            ("Bangalore", "India", "Karnataka"), ("Chennai", "India", "Tamil Nadu"),
            ("Kolkata", "India", "West Bengal"), ("Hyderabad", "India", "Telangana"),

            ("Dublin", "Ireland", "Leinster"), ("Cork", "Ireland", "Munster"),
            ("Galway", "Ireland", "Connacht"), ("Limerick", "Ireland", "Munster"),

            ("Rome", "Italy", "Lazio"), ("Milan", "Italy", "Lombardy"),
            ("Naples", "Italy", "Campania"), ("Turin", "Italy", "Piedmont"),
            ("Florence", "Italy", "Tuscany"), ("Bologna", "Italy", "Emilia-Romagna"),

            ("Tokyo", "Japan", "Tokyo"), ("Osaka", "Japan", "Osaka"),
            ("Yokohama", "Japan", "Kanagawa"), ("Nagoya", "Japan", "Aichi"),
            ("Sapporo", "Japan", "Hokkaido"), ("Kyoto", "Japan", "Kyoto"),
            ("Sasebo", "Japan", "Nagasaki"),

            ("Mexico City", "Mexico", "Ciudad de México"), ("Guadalajara", "Mexico", "Jalisco"),
            ("Monterrey", "Mexico", "Nuevo León"), ("Puebla", "Mexico", "Puebla"),

            ("Amsterdam", "Netherlands", "Noord-Holland"), ("Rotterdam", "Netherlands", "Zuid-Holland"),
            ("Utrecht", "Netherlands", "Utrecht"), ("The Hague", "Netherlands", "Zuid-Holland"),
            ("Eindhoven", "Netherlands", "Noord-Brabant"),

            ("Auckland", "New Zealand", "Auckland"), ("Wellington", "New Zealand", "Wellington"),
            ("Christchurch", "New Zealand", "Canterbury"), ("Dunedin", "New Zealand", "Otago"),

            ("Lagos", "Nigeria", "Lagos"), ("Abuja", "Nigeria", "FCT"),
            ("Kano", "Nigeria", "Kano"), ("Ibadan", "Nigeria", "Oyo"),

            ("Warsaw", "Poland", "Masovia"), ("Kraków", "Poland", "Lesser Poland"),
            ("Łódź", "Poland", "Łódź"), ("Wrocław", "Poland", "Lower Silesia"),
            ("Gdańsk", "Poland", "Pomerania"),

            ("Johannesburg", "South Africa", "Gauteng"), ("Cape Town", "South Africa", "Western Cape"),
            ("Durban", "South Africa", "KwaZulu-Natal"), ("Pretoria", "South Africa", "Gauteng"),

            ("Seoul", "South Korea", "Seoul"), ("Busan", "South Korea", "Busan"),
            ("Incheon", "South Korea", "Incheon"), ("Daegu", "South Korea", "Daegu"),

            ("Madrid", "Spain", "Madrid"), ("Barcelona", "Spain", "Catalonia"),
            ("Valencia", "Spain", "Valencia"), ("Seville", "Spain", "Andalusia"),
            ("Bilbao", "Spain", "Basque Country"),

            ("Stockholm", "Sweden", "Stockholm"), ("Gothenburg", "Sweden", "Västra Götaland"),
            ("Malmö", "Sweden", "Skåne"), ("Uppsala", "Sweden", "Uppsala"),

            ("London", "United Kingdom", "Greater London"), ("Manchester", "United Kingdom", "Greater Manchester"),
            ("Birmingham", "United Kingdom", "West Midlands"), ("Leeds", "United Kingdom", "West Yorkshire"),
            ("Glasgow", "United Kingdom", "Scotland"), ("Edinburgh", "United Kingdom", "Scotland"),
            ("Liverpool", "United Kingdom", "Merseyside"), ("Bristol", "United Kingdom", "Bristol"),
            ("Sheffield", "United Kingdom", "South Yorkshire"), ("Cardiff", "United Kingdom", "Wales"),
            ("Belfast", "United Kingdom", "Northern Ireland"), ("Newcastle upon Tyne", "United Kingdom", "Tyne and Wear"),
            ("Nottingham", "United Kingdom", "Nottinghamshire"), ("Leicester", "United Kingdom", "Leicestershire"),
            ("Brighton", "United Kingdom", "East Sussex"), ("Oxford", "United Kingdom", "Oxfordshire"),

            ("New York", "United States", "New York"), ("Los Angeles", "United States", "California"),
            ("Chicago", "United States", "Illinois"), ("Houston", "United States", "Texas"),
            ("Phoenix", "United States", "Arizona"), ("Philadelphia", "United States", "Pennsylvania"),
            ("San Antonio", "United States", "Texas"), ("San Diego", "United States", "California"),
            ("Dallas", "United States", "Texas"), ("Austin", "United States", "Texas"),
            ("Seattle", "United States", "Washington"), ("Denver", "United States", "Colorado"),
            ("Boston", "United States", "Massachusetts"), ("Portland", "United States", "Oregon"),
            ("Atlanta", "United States", "Georgia"), ("Miami", "United States", "Florida"),
            ("Minneapolis", "United States", "Minnesota"), ("Nashville", "United States", "Tennessee"),
            ("Columbus", "United States", "Ohio"), ("Sacramento", "United States", "California"),
            ("Kansas City", "United States", "Missouri"), ("Salt Lake City", "United States", "Utah"),
            ("Pittsburgh", "United States", "Pennsylvania"), ("Baltimore", "United States", "Maryland"),
        ];
        Cities = cities
            .OrderBy(c => c.City, StringComparer.Ordinal)
            .Select((c, i) => new City(i + 1, c.City, countryId[c.Country], c.District))
            .ToArray();
        CitiesByCountry = Countries.ToDictionary(
            c => c.CountryId,
            c => (IReadOnlyList<City>)Cities.Where(city => city.CountryId == c.CountryId).ToArray());
        ChainCountryIds = new[] { "United States", "Canada", "United Kingdom", "Australia" }
            .Select(name => countryId[name]).ToArray();
    }
}
