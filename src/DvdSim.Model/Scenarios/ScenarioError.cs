namespace DvdSim.Model.Scenarios;

/// <summary>A scenario that cannot run, with the key at fault (e.g. "demand.annual_growth").</summary>
public sealed class ScenarioException(string key, string message) : Exception($"scenario key '{UserText.Shown(key)}': {message}")
{
    public string Key { get; } = key;
}
