using DvdSim.Testing;

namespace DvdSim.Hosting.Tests.Support;

[CollectionDefinition(TestServers.Collection)]
public sealed class ServersCollection : ICollectionFixture<TestServers>;

/// <summary>A message for bus round trips.</summary>
public sealed record Ping(string Text);
