using DvdSim.Hosting.Processes;
using DvdSim.Hosting.Runtime;

namespace DvdSim.Hosting;

/// <summary>Any program, supervised like a project (restarts, logs, stop) but Running as soon as it is spawned.</summary>
public sealed class ExecutableResource : ServiceResource
{
    private string _path = "";

    internal ExecutableResource(string name, string command, IReadOnlyList<string> arguments) : base(name)
    {
        Command = command;
        Arguments = arguments;
    }

    public string Command { get; }
    public IReadOnlyList<string> Arguments { get; }
    public override string Kind => "executable";
    public override IReadOnlyList<string> Endpoints => [];

    private protected override void PrepareCore()
    {
        _path = Executables.Find(Name, Command, package: null);
        Supervise(restartDuringStartup: true, LaunchAsync, (_, _) => Task.CompletedTask, maxRestarts: MaxRestarts);
    }

    private Task<LaunchSpec> LaunchAsync(CancellationToken cancellationToken)
    {
        var environment = BuildEnvironment();
        LastEnvironment = environment;
        return Task.FromResult(new LaunchSpec(_path, Arguments, WorkingDirectory ?? Environment.CurrentDirectory, environment));
    }
}
