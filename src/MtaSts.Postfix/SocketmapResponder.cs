using System.Buffers;
using System.Diagnostics;
using System.Text;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MtaSts.Functional.Resolver;
using MtaSts.Postfix.Dane;
using MtaSts.Postfix.Protocol;

namespace MtaSts.Postfix;

/// <summary>
/// Answers one socketmap request (<c>name SP key</c>, socketmap_table(5)): map name → reply form,
/// key → policy domain, DANE first (M-06), then the resolver's resolution written as a Postfix TLS policy.
/// Never throws: an internal failure is <c>TEMP</c>.
/// </summary>
internal sealed partial class SocketmapResponder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IMtaStsResolver resolver;
    private readonly DaneProbe? dane;
    private readonly SocketmapOptions options;
    private readonly ReplyOptions replyOptions;
    private readonly PostfixMetrics metrics;
    private readonly ILogger logger;
    private readonly byte[] mapName;
    private readonly byte[] tlsrptMapName;

    // The reply written for a resolution, per map form: a warm lookup hands out the same Resolution
    // instance again, so its reply is rendered once. Not a cache of policies: it lives and dies with the
    // resolver's own value (no lifecycle of its own).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Resolution, SocketmapReply> plainReplies = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Resolution, SocketmapReply> tlsrptReplies = new();

    public SocketmapResponder(IMtaStsResolver resolver, DaneProbe? dane, SocketmapOptions options, PostfixMetrics metrics, ILogger<SocketmapResponder>? logger = null)
    {
        this.resolver = resolver;
        this.dane = options.Dane ? dane : null;
        this.options = options;
        replyOptions = new ReplyOptions(options.StrictTesting, options.ServerName);
        this.metrics = metrics;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        mapName = Encoding.UTF8.GetBytes(options.MapName);
        tlsrptMapName = Encoding.UTF8.GetBytes(options.TlsrptMapName);
    }

    /// <summary>The reply to one request payload.</summary>
    public async ValueTask<SocketmapReply> AnswerAsync(ReadOnlySequence<byte> request)
    {
        var started = Stopwatch.GetTimestamp();
        var (reply, map) = await AnswerCoreAsync(request).ConfigureAwait(false);
        metrics.Query(reply.Kind, map, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return reply;
    }

    private async ValueTask<(SocketmapReply Reply, string Map)> AnswerCoreAsync(ReadOnlySequence<byte> request)
    {
        // socketmap_table(5): "name <space> key"; the name is compared as bytes, only the key is decoded.
        var bytes = request.IsSingleSegment ? request.FirstSpan : request.ToArray();
        var space = bytes.IndexOf((byte)' ');
        var name = space < 0 ? bytes : bytes[..space];
        MapKind kind;
        if (name.SequenceEqual(mapName))
        {
            kind = MapKind.Plain;
        }
        else if (name.SequenceEqual(tlsrptMapName))
        {
            kind = MapKind.Tlsrpt;
        }
        else
        {
            return (new SocketmapReply.Perm("unknown map name"), "unknown");
        }

        string key;
        try
        {
            key = space < 0 ? string.Empty : StrictUtf8.GetString(bytes[(space + 1)..]);
        }
        catch (DecoderFallbackException)
        {
            return (SocketmapReply.NotFound, Map(kind));
        }

        try
        {
            return (await ReplyAsync(key, kind).ConfigureAwait(false), Map(kind));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogInternalError(logger, key, e);
            return (new SocketmapReply.Temp("internal error: " + e.GetType().Name), Map(kind));
        }
    }

    private async ValueTask<SocketmapReply> ReplyAsync(string key, MapKind kind)
    {
        if (NextHopKey.Classify(key, options.ApplyBracketed) is not NextHopKey.Domain { Name: var domain })
        {
            return SocketmapReply.NotFound;
        }

        // Both lookups start at once; the STS one goes on (and fills the cache) even when DANE answers.
        var sts = resolver.ResolveAsync(domain);
        if (dane is not null)
        {
            var check = dane.CheckAsync(domain.Value);
            var (status, detail) = check.IsCompletedSuccessfully ? check.Result : await check.AsTask().ConfigureAwait(false);
            var forDane = PolicyReplies.ForDane(status, detail);
            if (forDane.IsSome)
            {
                var daneReply = (SocketmapReply)forDane;
                metrics.Dane(daneReply is SocketmapReply.Ok ok ? ok.Data : "temp");
                return daneReply;
            }
        }

        Resolution resolution;
        if (sts.IsCompletedSuccessfully)
        {
            resolution = sts.Result;   // the warm path: completed synchronously, no DNS, disk or parse
        }
        else
        {
            try
            {
                // The shared run is not cancelled: it completes in the background and fills the cache.
                resolution = await sts.AsTask().WaitAsync(options.ReplyTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogSlow(logger, domain.Value, options.ReplyTimeout);
                return SocketmapReply.NotFound;
            }
        }

        var memo = kind == MapKind.Plain ? plainReplies : tlsrptReplies;
        if (!memo.TryGetValue(resolution, out var reply))
        {
            reply = PolicyReplies.ForPolicy(resolution.Domain.Value, resolution.Policy, kind, replyOptions);
            memo.AddOrUpdate(resolution, reply);
            if (kind == MapKind.Tlsrpt && reply is SocketmapReply.Ok && resolution.Policy.Exists(static p => !PolicyReplies.TlsrptAttributesFit(p.Text)))
            {
                LogTlsrptLeftOut(logger, domain.Value);
            }
        }

        return reply;
    }

    private string Map(MapKind kind) => kind == MapKind.Plain ? options.MapName : options.TlsrptMapName;

    [LoggerMessage(Level = LogLevel.Error, Message = "socketmap query for '{Key}' failed")]
    private static partial void LogInternalError(ILogger logger, string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MTA-STS {Domain}: a policy line has braces that do not nest, which Postfix cannot carry in {{ policy_string = ... }}; answered without TLSRPT attributes")]
    private static partial void LogTlsrptLeftOut(ILogger logger, string domain);

    [LoggerMessage(Level = LogLevel.Information, Message = "MTA-STS {Domain}: discovery takes longer than {Bound}; answered NOTFOUND, the lookup goes on in the background")]
    private static partial void LogSlow(ILogger logger, string domain, TimeSpan bound);
}
