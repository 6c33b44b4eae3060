using DvdSim.Model.Shop;

namespace DvdSim.Model.Tests.Shop;

public sealed class WeightedTableTests
{
    [Fact]
    public void The_model_s_search_of_cumulative_weights_answers_as_Array_BinarySearch_does()
    {
        // Picks must not change with the search's implementation: same index for hits, misses and ties.
        var random = new Random(7);
        for (var trial = 0; trial < 500; trial++)
        {
            var sums = new double[random.Next(1, 40)];
            var total = 0.0;
            for (var i = 0; i < sums.Length; i++)
            {
                if (random.Next(5) > 0) total += random.Next(1, 4) * 0.5; // sometimes no step: equal sums
                sums[i] = total;
            }
            foreach (var target in sums.Concat([-1.0, 0.0, 0.25, total + 1, random.NextDouble() * total]))
            {
                var expected = Array.BinarySearch(sums, target);
                Assert.Equal(expected < 0 ? ~expected : expected, WeightedTable<int>.FirstAtLeast(sums, target));
            }
        }
    }
}
