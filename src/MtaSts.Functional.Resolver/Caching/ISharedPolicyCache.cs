namespace MtaSts.Functional.Resolver;

/// <summary>
/// A storage that other processes write too (e.g. the Redis cache of a fleet) and that says when one of them
/// changed or removed an entry. The resolver forgets its in-memory copy of that domain, so the next lookup
/// reads the storage again: every node applies a policy another node fetched.
/// </summary>
public interface ISharedPolicyCache : IPolicyCache
{
    /// <summary>Raised when another process changed or removed the entry of a domain.</summary>
    event Action<PolicyDomain>? Changed;
}
