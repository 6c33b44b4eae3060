using DvdSim.Contracts;

namespace DvdSim.Model.Demand;

/// <summary>The business phase a week falls in (level 4), or a neutral phase outside any.</summary>
public sealed class BusinessCalendar(Scenario scenario)
{
    private static readonly BusinessPhase Neutral = new() { Name = "" };

    public BusinessPhase PhaseOf(int week)
    {
        foreach (var phase in scenario.Phases)
            if (week >= phase.FromWeek && week <= phase.ToWeek) return phase;
        return Neutral;
    }
}
