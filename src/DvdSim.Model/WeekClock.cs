using DvdSim.Contracts;

namespace DvdSim.Model;

/// <summary>
/// Simulated calendar. Week 1 is the shop's opening week; the starter weeks come first and
/// the main simulation begins on the scenario's start date (week StarterWeeks + 1).
/// Weeks run Monday to Sunday when the start date is a Monday (the default 2001-10-01 is).
/// </summary>
public sealed class WeekClock(DateOnly openingDate)
{
    public static WeekClock For(Scenario scenario) =>
        new(scenario.StartDate.AddDays(-7 * scenario.StarterWeeks));

    public DateOnly OpeningDate { get; } = openingDate;

    public DateOnly WeekStart(int week) => OpeningDate.AddDays(7 * (week - 1));

    /// <summary>First instant after the week (exclusive bound).</summary>
    public DateTime WeekEnd(int week) => WeekStart(week + 1).ToDateTime(TimeOnly.MinValue);

    public DateOnly Day(int week, int dayOfWeek) => WeekStart(week).AddDays(dayOfWeek);

    /// <summary>The week containing the date (can be 0 or negative before the opening).</summary>
    public int WeekOf(DateTime at) => (int)Math.Floor((DateOnly.FromDateTime(at).DayNumber - OpeningDate.DayNumber) / 7.0) + 1;
}
