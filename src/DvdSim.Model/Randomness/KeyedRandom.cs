using System.Text;

namespace DvdSim.Model.Randomness;

/// <summary>
/// A small deterministic generator whose stream is chosen by a key — (seed, purpose, a, b, c) —
/// never by how many draws someone else made before. Two services asking for the stream
/// ("returns", rental 1234) get the same numbers whatever the timing or batching.
/// SplitMix64: fast, good enough statistically, and trivially reproducible across platforms.
/// </summary>
public sealed class KeyedRandom
{
    private ulong _state;

    public KeyedRandom(long seed, string purpose, long a = 0, long b = 0, long c = 0)
    {
        var h = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ Fnv1a(purpose));
        h = Mix(h ^ (ulong)a);
        h = Mix(h ^ ((ulong)b * 0xD6E8FEB86659FD93UL));
        h = Mix(h ^ ((ulong)c * 0xA0761D6478BD642FUL));
        _state = h;
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        return (int)((NextUInt64() >> 1) % (ulong)maxExclusive);
    }

    /// <summary>Uniform in [minInclusive, maxInclusive].</summary>
    public int NextInt(int minInclusive, int maxInclusive) =>
        minInclusive + NextInt(maxInclusive - minInclusive + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[NextInt(items.Count)];

    /// <summary>A Poisson draw (Knuth for small means, normal approximation for large ones).</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0) return 0;
        if (mean > 30)
        {
            var n = Math.Round(mean + Math.Sqrt(mean) * StandardNormal());
            return (int)Math.Max(0, n);
        }
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = NextDouble();
        while (p > limit) { k++; p *= NextDouble(); }
        return k;
    }

    public double StandardNormal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A seed for libraries that take an int (e.g. Bogus), derived from this stream.</summary>
    public int NextSeed() => (int)(NextUInt64() >> 33);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // A stream is keyed once per rental, customer and day: hash the purpose without allocating.
    // Purposes are ASCII, whose UTF-8 bytes are the chars themselves; anything else takes the slow path.
    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            if (c >= 0x80) return Fnv1aBytes(text);
            hash ^= c;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }

    private static ulong Fnv1aBytes(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text)) { hash ^= b; hash *= 0x100000001B3UL; }
        return hash;
    }
}
