using DvdSim.Hosting.Processes;
using DvdSim.Hosting.Runtime;

namespace DvdSim.Hosting;

/// <summary>
/// A private Erlang port mapper for the cluster's RabbitMQ node. Left to itself, the first
/// Erlang node starts a daemon epmd on 0.0.0.0:4369 that outlives everything.
/// </summary>
public sealed class EpmdResource : Resource
{
    private string _path = "";
    private int _port;

    internal EpmdResource(string name) : base(name) { }

    public override string Kind => "epmd";
    public override IReadOnlyList<string> Endpoints => [$"tcp://127.0.0.1:{_port}"];
    public int Port => _port;

    private protected override void PrepareCore()
    {
        _path = Executables.Find(Name, Context.Options.EpmdPath, "erlang-base", Executables.ErlangDirectories());
        _port = Context.Ports.Allocate(int.TryParse(Context.State.Get(Name, "port"), out var last) ? last : null);
        Context.State.Set(Name, "port", _port.ToString());
        Supervise(restartDuringStartup: false, LaunchAsync, WaitReadyAsync, recoverStartupExit: RecoverFromTakenPort);
    }

    private Task<LaunchSpec> LaunchAsync(CancellationToken cancellationToken)
    {
        var directory = Context.Data.ResourcePath(Name);
        Directory.CreateDirectory(directory);
        return Task.FromResult(new LaunchSpec(_path, ["-port", _port.ToString(), "-address", "127.0.0.1"], directory, new Dictionary<string, string>()));
    }

    private Task WaitReadyAsync(ChildProcess child, CancellationToken cancellationToken) =>
        ReadinessProbes.PollAsync(token => ReadinessProbes.PortOpenAsync("127.0.0.1", _port, token), TimeSpan.FromMilliseconds(50), cancellationToken);

    private bool RecoverFromTakenPort()
    {
        if (PortAllocator.IsFree(_port)) return false;
        _port = Context.Ports.Allocate();
        Context.State.Set(Name, "port", _port.ToString());
        return true;
    }
}
