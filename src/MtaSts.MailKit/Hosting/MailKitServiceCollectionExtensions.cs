using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MtaSts.Functional.Resolver;

namespace MtaSts.MailKit;

/// <summary>Registers the MailKit delivery with .NET dependency injection, next to <c>AddMtaSts</c>.</summary>
public static class MailKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IMtaStsSender"/> (and <c>AddMtaSts</c> for the resolver, when not yet added): the MX
    /// lookups with the resolver's DNS settings, <see cref="NoTlsSessionRecorder"/> unless an
    /// <see cref="ITlsSessionRecorder"/> is registered (the TLSRPT package, issue 16, will register one),
    /// and <see cref="NoDane"/> unless an <see cref="IDaneCheck"/> is registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the delivery options.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMtaStsMailKit(this IServiceCollection services, Action<MtaStsDeliveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMtaSts();
        var builder = services.AddOptions<MtaStsDeliveryOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton<ITlsSessionRecorder>(NoTlsSessionRecorder.Instance);
        services.TryAddSingleton<IDaneCheck>(NoDane.Instance);
        services.TryAddSingleton<IMxLookup>(static sp => MtaStsSender.MxLookup(sp.GetRequiredService<IOptions<MtaStsOptions>>().Value));
        services.TryAddSingleton<IMtaStsSender>(static sp => new MtaStsSender(
            sp.GetRequiredService<IMtaStsResolver>(),
            sp.GetRequiredService<IMxLookup>(),
            sp.GetRequiredService<IOptions<MtaStsDeliveryOptions>>().Value,
            sp.GetRequiredService<ITlsSessionRecorder>(),
            sp.GetRequiredService<IDaneCheck>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MtaStsSender>>()));
        return services;
    }
}
