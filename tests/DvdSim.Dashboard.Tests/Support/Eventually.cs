namespace DvdSim.Dashboard.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls until the condition holds, failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task True(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("Timed out waiting for " + what);
            await Task.Delay(25);
        }
    }
}
