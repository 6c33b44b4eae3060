using System.Text.Json;
using System.Text.Json.Serialization;

namespace DvdSim.Contracts;

/// <summary>
/// The wire form of the messages' long lists (a week's rental events, the opening stock): one
/// base64 string of fixed-layout binary records instead of a JSON object per item. A week's
/// events are about 40 % of the bytes and take a fraction of the time to write and read; they
/// were the largest CPU cost of the Payment service (docs/benchmarks.md). Version byte first, so
/// a reader meeting another layout fails with a clear error instead of misreading.
/// </summary>
public abstract class PackedList<T> : JsonConverter<IReadOnlyList<T>>
{
    private const byte Version = 1;

    protected abstract void Write(BinaryWriter writer, T item);
    protected abstract T Read(BinaryReader reader);

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        using var buffer = new MemoryStream();
        using (var binary = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            binary.Write(Version);
            binary.Write(value.Count);
            foreach (var item in value) Write(binary, item);
        }
        writer.WriteBase64StringValue(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var binary = new BinaryReader(new MemoryStream(reader.GetBytesFromBase64()));
        if (binary.ReadByte() is var version and not Version)
            throw new JsonException($"{typeof(T).Name} list: wire layout {version}, this build reads {Version}");
        var items = new T[binary.ReadInt32()];
        for (var i = 0; i < items.Length; i++) items[i] = Read(binary);
        return items;
    }

    // DateTime.ToBinary keeps the kind (UTC or unspecified) along with the ticks.
    protected static void WriteDate(BinaryWriter writer, DateTime value) => writer.Write(value.ToBinary());
    protected static DateTime ReadDate(BinaryReader reader) => DateTime.FromBinary(reader.ReadInt64());
}

/// <summary>Wire form of <see cref="RentalBatch.Events"/>.</summary>
public sealed class PackedRentalEvents : PackedList<RentalEvent>
{
    protected override void Write(BinaryWriter w, RentalEvent e)
    {
        w.Write(e.RentalId);
        w.Write(e.CustomerId);
        w.Write(e.StaffId);
        w.Write((byte)e.Kind);
        WriteDate(w, e.At);
        WriteDate(w, e.RentalDate);
        w.Write(e.RentalRate);
        w.Write(e.RentalDuration);
        w.Write(e.ReplacementCost);
        w.Write(e.ReturnedAt is not null);
        if (e.ReturnedAt is { } returned) WriteDate(w, returned);
    }

    protected override RentalEvent Read(BinaryReader r) => new(
        RentalId: r.ReadInt64(), CustomerId: r.ReadInt32(), StaffId: r.ReadInt32(), Kind: (RentalEventKind)r.ReadByte(),
        At: ReadDate(r), RentalDate: ReadDate(r), RentalRate: r.ReadDecimal(), RentalDuration: r.ReadInt32(),
        ReplacementCost: r.ReadDecimal(), ReturnedAt: r.ReadBoolean() ? ReadDate(r) : null);
}

/// <summary>Wire form of <see cref="InventoryReady.Acquired"/> (week 1 carries the whole opening stock).</summary>
public sealed class PackedCopies : PackedList<CopyAcquired>
{
    protected override void Write(BinaryWriter w, CopyAcquired c)
    {
        w.Write(c.InventoryId);
        w.Write(c.FilmId);
        w.Write(c.StoreId);
        WriteDate(w, c.AcquiredAt);
    }

    protected override CopyAcquired Read(BinaryReader r) =>
        new(InventoryId: r.ReadInt32(), FilmId: r.ReadInt32(), StoreId: r.ReadInt32(), AcquiredAt: ReadDate(r));
}
