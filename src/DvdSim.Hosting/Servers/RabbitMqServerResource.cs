using Aspire.Hosting.ApplicationModel;

namespace DvdSim.Hosting;

/// <summary>
/// A RabbitMQ node run by DCP as an executable, with its own epmd (docs/local-servers.md),
/// listening on 127.0.0.1 only. Its connection string is an AMQP URI.
/// </summary>
public sealed class RabbitMqServerResource(string name, string command, string directory, int port, ParameterResource password)
    : ExecutableResource(name, command, directory), IResourceWithConnectionString
{
    public const string UserName = "dvdsim";

    public int Port { get; } = port;
    public ParameterResource Password { get; } = password;
    public string Directory { get; } = directory;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://{UserName}:{Password}@127.0.0.1:{Port.ToString()}");
}

/// <summary>
/// A private Erlang port mapper for the RabbitMQ node. Left to itself, the first Erlang node
/// starts a daemon epmd on 0.0.0.0:4369 that outlives everything.
/// </summary>
public sealed class EpmdResource(string name, string command, string directory, int port)
    : ExecutableResource(name, command, directory)
{
    public int Port { get; } = port;
}
