using System.Text.Json;
using DvdSim.Contracts;
using Xunit;

namespace DvdSim.Model.Tests.Contracts;

public class PackedListTests
{
    // MassTransit's System.Text.Json settings in the parts that matter here.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private static readonly RentalEvent[] Events =
    [
        new(4_000_000_001, 70_000, 3, RentalEventKind.Rented, new DateTime(2001, 10, 1, 10, 23, 5), new DateTime(2001, 10, 1, 10, 23, 5),
            2.99m, 5, 19.99m),
        new(17, 1, 1, RentalEventKind.Returned, new DateTime(2011, 3, 4, 23, 59, 59, DateTimeKind.Utc), new DateTime(2011, 2, 20, 9, 0, 0),
            9.99m, 7, 29.99m, new DateTime(2011, 3, 4, 23, 59, 59, DateTimeKind.Utc)),
        new(18, 2, 5, RentalEventKind.LateFeeWrittenOff, new DateTime(2012, 1, 1), new DateTime(2011, 12, 1), 0.99m, 3, 10.5m,
            new DateTime(2011, 12, 20)),
    ];

    [Fact]
    public void Rental_events_survive_the_wire_exactly()
    {
        var json = JsonSerializer.Serialize(new RentalBatch("run_a", 12, 1, 2, Events), Options);
        var back = JsonSerializer.Deserialize<RentalBatch>(json, Options)!;

        Assert.Equal(("run_a", 12, 1, 2), (back.Database, back.Week, back.BatchNumber, back.BatchCount));
        Assert.Equal(Events, back.Events);
        Assert.Equal(Events.Select(e => e.At.Kind), back.Events.Select(e => e.At.Kind));
        Assert.Equal("2.99", back.Events[0].RentalRate.ToString(System.Globalization.CultureInfo.InvariantCulture)); // scale kept
    }

    [Fact]
    public void Packed_events_are_much_smaller_than_json_objects()
    {
        var many = Enumerable.Range(0, 1000).Select(i => Events[i % Events.Length] with { RentalId = i }).ToArray();
        var packed = JsonSerializer.Serialize(new RentalBatch("run_a", 1, 1, 1, many), Options).Length;
        var plain = JsonSerializer.Serialize(many, Options).Length;
        Assert.True(packed * 2 < plain, $"packed {packed} bytes, plain JSON {plain}");
    }

    [Fact]
    public void Copies_survive_the_wire_and_an_empty_list_too()
    {
        CopyAcquired[] copies = [new(1, 2, 3, new DateTime(2001, 7, 9, 9, 0, 0)), new(400_000, 5_000, 20, new DateTime(2010, 1, 4, 9, 0, 0))];
        var json = JsonSerializer.Serialize(new InventoryReady("run_a", 1, [], copies, 1.5), Options);
        var back = JsonSerializer.Deserialize<InventoryReady>(json, Options)!;
        Assert.Equal(copies, back.Acquired);

        var none = JsonSerializer.Deserialize<InventoryReady>(JsonSerializer.Serialize(new InventoryReady("run_a", 2, [], [], 0), Options), Options)!;
        Assert.Empty(none.Acquired);
    }

    [Fact]
    public void Another_layout_version_is_refused_by_name()
    {
        var json = JsonSerializer.Serialize(new RentalBatch("run_a", 1, 1, 1, Events), Options);
        var events = JsonDocument.Parse(json).RootElement.GetProperty("events").GetString()!;
        var bytes = Convert.FromBase64String(events);
        bytes[0] = 9;
        var tampered = json.Replace(events, Convert.ToBase64String(bytes), StringComparison.Ordinal);

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RentalBatch>(tampered, Options));
        Assert.Contains("RentalEvent list: wire layout 9", error.Message);
    }
}
