using System.Text.Json;
using System.Text.Json.Serialization;
using DvdSim.Contracts;

namespace DvdSim.Model.Scenarios;

/// <summary>The canonical text form of a scenario: JSON with snake_case keys.</summary>
public static class ScenarioJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Write(Scenario scenario) => JsonSerializer.Serialize(scenario, Options);

    public static Scenario Read(string json) =>
        JsonSerializer.Deserialize<Scenario>(json, Options) ?? throw new ArgumentException("empty scenario");
}
