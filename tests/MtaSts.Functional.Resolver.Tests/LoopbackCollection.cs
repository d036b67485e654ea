using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Tests;

/// <summary>One shared set of loopback servers for the tests of this assembly (xunit wants the definition here).</summary>
[CollectionDefinition(Name)]
public sealed class LoopbackCollection : ICollectionFixture<Loopback>
{
    public const string Name = "loopback servers";
}
