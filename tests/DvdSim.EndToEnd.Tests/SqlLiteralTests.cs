using System.Globalization;
using Microsoft.Extensions.Hosting;

namespace DvdSim.EndToEnd.Tests;

/// <summary>
/// SQL literals are formatted by hand (no interpolated strings in the hot path): they must read
/// exactly as the invariant-culture formats they replace, which MariaDB parses.
/// </summary>
public sealed class SqlLiteralTests
{
    [Fact]
    public void Values_are_written_as_the_invariant_formats_MariaDB_reads()
    {
        var c = CultureInfo.InvariantCulture;
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
        {
            var at = new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks));
            Assert.Equal($"'{at.ToString("yyyy-MM-dd HH:mm:ss", c)}'", SqlBatch.Literal(at));
            var day = DateOnly.FromDateTime(at);
            Assert.Equal($"'{day.ToString("yyyy-MM-dd", c)}'", SqlBatch.Literal(day));
            var money = Math.Round((decimal)(random.NextDouble() * 2e6 - 1e6), random.Next(0, 5));
            Assert.Equal(money.ToString(c), SqlBatch.Literal(money));
            var x = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20));
            Assert.Equal(x.ToString("R", c), SqlBatch.Literal(x));
            var n = random.NextInt64(long.MinValue, long.MaxValue);
            Assert.Equal(n.ToString(c), SqlBatch.Literal(n));
            Assert.Equal(((int)n).ToString(c), SqlBatch.Literal((int)n));
        }
        Assert.Equal("'9999-12-31 23:59:59'", SqlBatch.Literal(DateTime.MaxValue));
        Assert.Equal("'0001-01-01 00:00:00'", SqlBatch.Literal(DateTime.MinValue));
        Assert.Equal("1", SqlBatch.Literal(true));
        Assert.Equal("NULL", SqlBatch.Literal(null));
        Assert.Equal("2", SqlBatch.Literal(DayOfWeek.Tuesday));
        Assert.Equal("3.5", SqlBatch.Literal(3.5f));
        Assert.Equal("-79228162514264337593543950335", SqlBatch.Literal(decimal.MinValue));
        Assert.Equal("0.0000000000000000000000000001", SqlBatch.Literal(new decimal(1, 0, 0, false, 28)));
    }
}
