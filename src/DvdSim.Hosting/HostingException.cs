namespace DvdSim.Hosting;

/// <summary>A resource could not be started or checked. The message says which and why, for the user.</summary>
public sealed class HostingException : Exception
{
    public HostingException(string message) : base(message) { }
    public HostingException(string message, Exception inner) : base(message, inner) { }
}
