using DvdSim.Contracts;
using DvdSim.Model.Demand;

namespace DvdSim.Model.Scenarios;

/// <summary>Rejects impossible values, naming the key: a scenario either runs as written or not at all.</summary>
public static class ScenarioValidator
{
    // Limits of a whole run, whatever the mix of keys: each key has its own range below, but
    // their product (base × growth × season × shocks × phases, films × stores × copies…) can
    // still ask for more than an INT UNSIGNED id or the dry run's memory holds.

    /// <summary>Payment ids are rental_id × 4 + kind and must fit an INT UNSIGNED (4,294,967,295).</summary>
    public const double MaxRentalsPerRun = 1_000_000_000;
    /// <summary>A day's rentals are drawn, sorted and held in memory at once.</summary>
    public const double MaxRentalsPerDay = 10_000_000;
    public const double MaxCustomersPerRun = 20_000_000;
    public const double MaxFilmsPerRun = 2_000_000;
    public const double MaxCopiesPerRun = 20_000_000;

    /// <summary>Names and reasons are stored in VARCHAR(64) columns (dvdsim_run.scenario_name, inventory_purchase.reason).</summary>
    public const int MaxNameLength = 64;

    public static void Validate(Scenario s)
    {
        Require(!string.IsNullOrWhiteSpace(s.Name), "name", "must not be empty");
        Text(s.Name, "name", MaxNameLength);
        Text(s.Description, "description", 4000, lines: true);
        Require(s.StartDate.Year is >= 1900 and <= 2200, "start_date", "must be between 1900 and 2200");
        Require(s.Weeks is >= 1 and <= 5200, "weeks", "must be between 1 and 5200");
        Require(s.StarterWeeks is >= 0 and <= 520, "starter_weeks", "must be between 0 and 520");

        var c = s.Catalog;
        Require(c.Films is >= 1 and <= 1_000_000, "catalog.films", "must be between 1 and 1,000,000");
        Require(c.Actors is >= 10 and <= 1_000_000, "catalog.actors", "must be between 10 and 1,000,000");
        Require(c.RentalRateMin > 0 && c.RentalRateMin <= 99, "catalog.rental_rate_min", "must be between 0.01 and 99");
        Require(c.RentalRateMax >= c.RentalRateMin && c.RentalRateMax <= 99, "catalog.rental_rate_max", "must be at least rental_rate_min and at most 99");
        Require(c.RentalDurationMin is >= 1 and <= 60, "catalog.rental_duration_min", "must be between 1 and 60 days");
        Require(c.RentalDurationMax >= c.RentalDurationMin && c.RentalDurationMax <= 60, "catalog.rental_duration_max", "must be at least rental_duration_min and at most 60");
        Require(c.ReleaseYearMin >= 1901 && c.ReleaseYearMin <= s.StartDate.Year, "catalog.release_year_min", "must be between 1901 and the start year");

        var st = s.Stores;
        Require(st.Count is >= 1 and <= 250, "stores.count", "must be between 1 and 250");
        Require(st.ClerksPerStore is >= 0 and <= 100, "stores.clerks_per_store", "must be between 0 and 100");
        Require(st.InitialCopiesMin is >= 0 and <= 100, "stores.initial_copies_min", "must be between 0 and 100");
        Require(st.InitialCopiesMax >= st.InitialCopiesMin && st.InitialCopiesMax <= 100, "stores.initial_copies_max", "must be at least initial_copies_min and at most 100");

        var d = s.Demand;
        Require(d.BaseWeeklyRentals is >= 0 and <= 10_000_000, "demand.base_weekly_rentals", "must be between 0 and 10,000,000");
        Require(d.AnnualGrowth is > -1 and <= 10, "demand.annual_growth", "must be above -1 (-100 %) and at most 10");
        Require(d.MonthlySeasonality.Length == 12, "demand.monthly_seasonality", "needs 12 values, January first");
        for (var i = 0; i < d.MonthlySeasonality.Length; i++)
            Require(d.MonthlySeasonality[i] is >= 0 and <= 100, $"demand.monthly_seasonality.{i}", "must be between 0 and 100");
        Weekdays(d.WeekdayWeights, "demand.weekday_weights");
        Weekdays(d.OpeningWeekdayWeights, "demand.opening_weekday_weights");
        Require(d.WeekdayShiftWeeks is >= 0 and <= 520, "demand.weekday_shift_weeks", "must be between 0 and 520");
        Require(d.SpikeDayShare is >= 0 and <= 1, "demand.spike_day_share", "must be between 0 and 1");
        Require(d.SpikeMultiplier is >= 0 and <= 100, "demand.spike_multiplier", "must be between 0 and 100");
        for (var i = 0; i < d.Shocks.Length; i++)
        {
            var shock = d.Shocks[i];
            Require(shock.FromWeek >= 1, $"demand.shocks.{i}.from_week", "must be at least 1");
            Require(shock.ToWeek >= shock.FromWeek, $"demand.shocks.{i}.to_week", "must be at least from_week");
            Require(shock.Multiplier is >= 0 and <= 100, $"demand.shocks.{i}.multiplier", "must be between 0 and 100");
            Text(shock.Reason, $"demand.shocks.{i}.reason", MaxNameLength);
        }

        var cu = s.Customers;
        Require(cu.Initial is >= 1 and <= 10_000_000, "customers.initial", "must be between 1 and 10,000,000");
        Require(cu.NewPerWeek is >= 0 and <= 1_000_000, "customers.new_per_week", "must be between 0 and 1,000,000");
        Require(cu.ChurnAfterInactiveWeeks is >= 1 and <= 5200, "customers.churn_after_inactive_weeks", "must be at least 1");
        Require(cu.LoyalShare is >= 0 and <= 1, "customers.loyal_share", "must be between 0 and 1");
        Require(cu.LoyalActivity is > 0 and <= 100, "customers.loyal_activity", "must be above 0 and at most 100");
        Require(cu.NoRepeatDays is >= 0 and <= 3650, "customers.no_repeat_days", "must be between 0 and 3650");
        Require(cu.MaxSimultaneousRentals is >= 1 and <= 1000, "customers.max_simultaneous_rentals", "must be between 1 and 1000");

        var p = s.Popularity;
        Require(p.ZipfAlpha is >= 0 and <= 10, "popularity.zipf_alpha", "must be between 0 and 10");
        Require(p.NewReleaseBoost is >= 1 and <= 100, "popularity.new_release_boost", "must be between 1 and 100");
        Require(p.NewReleaseBoostDays is >= 0 and <= 3650, "popularity.new_release_boost_days", "must be between 0 and 3650");
        Require(p.BoostedReleaseShare is >= 0 and <= 1, "popularity.boosted_release_share", "must be between 0 and 1");
        Require(p.NewerCopyPreference is >= 0 and <= 1, "popularity.newer_copy_preference", "must be between 0 and 1");

        var r = s.Returns;
        Require(r.LateShare is >= 0 and <= 1, "returns.late_share", "must be between 0 and 1");
        Require(r.NeverReturnedShare is >= 0 and <= 1, "returns.never_returned_share", "must be between 0 and 1");
        Require(r.LateShare + r.NeverReturnedShare <= 1, "returns.late_share", "late_share + never_returned_share must be at most 1");
        Require(r.LateDaysMax is >= 1 and <= 365, "returns.late_days_max", "must be between 1 and 365");
        Require(r.LostAfterDaysOverdue is >= 1 and <= 3650, "returns.lost_after_days_overdue", "must be between 1 and 3650");

        for (var i = 0; i < s.Inventory.Schedule.Length; i++)
        {
            Require(s.Inventory.Schedule[i].Week >= 1, $"inventory.schedule.{i}.week", "must be at least 1 (week 1 is the opening week)");
            Require(s.Inventory.Schedule[i].Quantity is >= 0 and <= 10_000_000, $"inventory.schedule.{i}.quantity", "must be between 0 and 10,000,000");
            Text(s.Inventory.Schedule[i].Reason, $"inventory.schedule.{i}.reason", MaxNameLength);
        }
        for (var i = 0; i < s.Inventory.Rules.Length; i++)
        {
            Require(s.Inventory.Rules[i].EveryWeeks is >= 1 and <= 5200, $"inventory.rules.{i}.every_weeks", "must be at least 1");
            Require(s.Inventory.Rules[i].Quantity is >= 0 and <= 10_000_000, $"inventory.rules.{i}.quantity", "must be between 0 and 10,000,000");
            Text(s.Inventory.Rules[i].Reason, $"inventory.rules.{i}.reason", MaxNameLength);
        }

        var rel = s.Releases;
        Require(rel.FilmsPerWeek is >= 0 and <= 10_000, "releases.films_per_week", "must be between 0 and 10,000");
        Require(rel.HotCategoryWeeks is >= 1 and <= 520, "releases.hot_category_weeks", "must be between 1 and 520");
        Require(rel.HotCategoryShare is >= 0 and <= 1, "releases.hot_category_share", "must be between 0 and 1");
        Require(rel.CopiesPerStore is >= 0 and <= 1000, "releases.copies_per_store", "must be between 0 and 1000");

        Require(s.Fees.LateFeePerDay is >= 0 and <= 1000, "fees.late_fee_per_day", "must be between 0 and 1000");

        for (var i = 0; i < s.Phases.Length; i++)
        {
            var phase = s.Phases[i];
            var key = $"phases.{i}";
            Require(!string.IsNullOrWhiteSpace(phase.Name) && phase.Name.Length <= 16, $"{key}.name", "must be 1–16 characters");
            Require(phase.FromWeek >= 1, $"{key}.from_week", "must be at least 1");
            Require(phase.ToWeek >= phase.FromWeek, $"{key}.to_week", "must be at least from_week");
            Require(phase.VolumeMultiplier is >= 0 and <= 100, $"{key}.volume_multiplier", "must be between 0 and 100");
            Require(phase.SignUpMultiplier is >= 0 and <= 100, $"{key}.sign_up_multiplier", "must be between 0 and 100");
            Require(phase.ChurnMultiplier is >= 0 and <= 100, $"{key}.churn_multiplier", "must be between 0 and 100");
            Require(phase.ReactivationShare is >= 0 and <= 1, $"{key}.reactivation_share", "must be between 0 and 1");
            for (var j = 0; j < i; j++)
                Require(phase.FromWeek > s.Phases[j].ToWeek || phase.ToWeek < s.Phases[j].FromWeek, $"{key}.from_week",
                    $"overlaps phase '{s.Phases[j].Name}' (weeks {s.Phases[j].FromWeek}–{s.Phases[j].ToWeek})");
        }

        for (var i = 0; i < s.Segments.Length; i++)
        {
            var segment = s.Segments[i];
            var key = $"segments.{i}";
            Require(!string.IsNullOrWhiteSpace(segment.Name) && segment.Name.Length <= 24, $"{key}.name", "must be 1–24 characters");
            Require(s.Segments.Take(i).All(o => o.Name != segment.Name), $"{key}.name", $"'{segment.Name}' is used twice");
            Require(segment.Share is >= 0 and <= 1, $"{key}.share", "must be between 0 and 1");
            Require(segment.Activity is > 0 and <= 100, $"{key}.activity", "must be above 0 and at most 100");
            Require(segment.WeeklyChurn is >= 0 and <= 1, $"{key}.weekly_churn", "must be between 0 and 1");
            Require(segment.LifetimeWeeks is >= 0 and <= 5200, $"{key}.lifetime_weeks", "must be between 0 (no limit) and 5200");
            Require(segment.MaxSimultaneousRentals is >= 1 and <= 1000, $"{key}.max_simultaneous_rentals", "must be between 1 and 1000");
        }
        if (s.Segments.Length > 0)
            Require(Math.Abs(s.Segments.Sum(x => x.Share) - 1) < 0.001, "segments", "shares must add up to 1");

        var f = s.LateFeePayments;
        Require(f.PayOnReturnShare is >= 0 and <= 1, "late_fee_payments.pay_on_return_share", "must be between 0 and 1");
        Require(f.PayLaterShare is >= 0 and <= 1, "late_fee_payments.pay_later_share", "must be between 0 and 1");
        Require(f.PayPartlyShare is >= 0 and <= 1, "late_fee_payments.pay_partly_share", "must be between 0 and 1");
        Require(f.NeverPayShare is >= 0 and <= 1, "late_fee_payments.never_pay_share", "must be between 0 and 1");
        Require(Math.Abs(f.PayOnReturnShare + f.PayLaterShare + f.PayPartlyShare + f.NeverPayShare - 1) < 0.001,
            "late_fee_payments", "pay_on_return_share + pay_later_share + pay_partly_share + never_pay_share must add up to 1");
        Require(f.WriteOffAfterDays is >= 1 and <= 3650, "late_fee_payments.write_off_after_days", "must be between 1 and 3650");
        Require(f.PayLaterDaysMax >= 1 && f.PayLaterDaysMax < f.WriteOffAfterDays, "late_fee_payments.pay_later_days_max",
            "must be at least 1 and less than write_off_after_days");
        Require(f.PartialFraction is > 0 and < 1, "late_fee_payments.partial_fraction", "must be between 0 and 1 (exclusive)");
        Require(f.SuspendAboveBalance is >= 0 and <= 100000, "late_fee_payments.suspend_above_balance", "must be between 0 (never) and 100,000");

        var dmg = s.Damage;
        Require(dmg.DamagedShare is >= 0 and <= 1, "damage.damaged_share", "must be between 0 and 1");
        Require(dmg.MaintenanceDays is >= 1 and <= 365, "damage.maintenance_days", "must be between 1 and 365");
        Require(dmg.BeyondRepairShare is >= 0 and <= 1, "damage.beyond_repair_share", "must be between 0 and 1");

        Volumes(s);
    }

    /// <summary>What the whole run expects, week by week, against the run limits above (checked last: every key is in range by then).</summary>
    private static void Volumes(Scenario s)
    {
        var weeks = s.StarterWeeks + s.Weeks;
        var demand = new DemandCurve(s);
        var calendar = new BusinessCalendar(s);
        var spike = s.Demand.SpikeDayShare > 0 ? Math.Max(1, s.Demand.SpikeMultiplier) : 1;
        double rentals = 0, customers = s.Customers.Initial;
        for (var week = 1; week <= weeks; week++)
        {
            var phase = calendar.PhaseOf(week);
            for (var day = 0; day < 7; day++)
            {
                var busiest = demand.ExpectedOnDay(week, day, phase.VolumeMultiplier) * spike;
                Require(busiest <= MaxRentalsPerDay, "demand",
                    $"base_weekly_rentals × annual_growth × monthly_seasonality × shocks × phase volume × spike_multiplier expects {busiest:N0} rentals on a day of week {week}: at most {MaxRentalsPerDay:N0} a day");
            }
            rentals += demand.ExpectedInWeek(week, phase.VolumeMultiplier);
            customers += s.Customers.NewPerWeek * phase.SignUpMultiplier;
        }
        Require(rentals <= MaxRentalsPerRun, "demand",
            $"expects {rentals:N0} rentals over {weeks:N0} weeks: at most {MaxRentalsPerRun:N0} (payment ids are rental_id × 4 + kind, an INT UNSIGNED)");
        Require(customers <= MaxCustomersPerRun, "customers",
            $"initial + new_per_week × sign-up multipliers expects {customers:N0} customers over {weeks:N0} weeks: at most {MaxCustomersPerRun:N0}");

        var films = s.Catalog.Films + s.Releases.FilmsPerWeek * weeks;
        Require(films <= MaxFilmsPerRun, "releases.films_per_week",
            $"catalog.films + films_per_week × {weeks:N0} weeks expects {films:N0} films: at most {MaxFilmsPerRun:N0}");

        var copies = (double)s.Catalog.Films * s.Stores.Count * s.Stores.InitialCopiesMax
                     + s.Releases.FilmsPerWeek * weeks * s.Stores.Count * s.Releases.CopiesPerStore
                     + s.Inventory.Schedule.Sum(o => (double)o.Quantity)
                     + s.Inventory.Rules.Sum(r => (double)r.Quantity * (weeks / r.EveryWeeks));
        Require(copies <= MaxCopiesPerRun, "inventory",
            $"opening stock (films × stores × initial_copies_max) + new releases + purchases expects up to {copies:N0} copies: at most {MaxCopiesPerRun:N0}");
    }

    /// <summary>Text that is stored or printed: bounded, and without control characters (a NUL, a terminal escape).</summary>
    private static void Text(string text, string key, int maxLength, bool lines = false)
    {
        Require(text.Length <= maxLength, key, $"is {text.Length:N0} characters long, at most {maxLength:N0} are allowed");
        Require(text.All(c => !char.IsControl(c) || (lines && c is '\n' or '\r' or '\t')), key, "must not contain control characters");
    }

    private static void Weekdays(double[] weights, string key)
    {
        Require(weights.Length == 7, key, "needs 7 values, Monday first");
        for (var i = 0; i < weights.Length; i++) Require(weights[i] is >= 0 and <= 100, $"{key}.{i}", "must be between 0 and 100");
        Require(weights.Sum() > 0, key, "must not be all zero");
    }

    private static void Require(bool ok, string key, string message)
    {
        if (!ok) throw new ScenarioException(key, message);
    }
}
