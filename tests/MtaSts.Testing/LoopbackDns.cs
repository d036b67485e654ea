using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MtaSts.Testing;

/// <summary>
/// A small authoritative DNS server on 127.0.0.1 (UDP, RFC 1035 wire format), started by the tests
/// themselves: TXT (one or several strings), CNAME, MX, A and AAAA records; NXDOMAIN for unknown
/// names, NODATA for known names without the asked type; names that answer SERVFAIL or REFUSED; names
/// it never answers; and CNAMEs it either follows itself (the whole chain in one answer, as a
/// recursive resolver does) or leaves to the client.
/// </summary>
public sealed class LoopbackDns : IAsyncDisposable
{
    private const ushort TypeA = 1, TypeCname = 5, TypeMx = 15, TypeTxt = 16, TypeAaaa = 28;

    private readonly UdpClient udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Dictionary<string, List<(ushort Type, byte[] Data)>> zone = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, byte> failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly System.Collections.Generic.HashSet<string> silent = new(StringComparer.OrdinalIgnoreCase);
    private readonly System.Collections.Generic.HashSet<string> unchased = new(StringComparer.OrdinalIgnoreCase);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> queried = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int queries;

    public LoopbackDns() => loop = Task.Run(ServeAsync);

    public IPEndPoint EndPoint => (IPEndPoint)udp.Client.LocalEndPoint!;

    /// <summary>How many queries have been received (to show that a case made no DNS traffic).</summary>
    public int Queries => Volatile.Read(ref queries);

    /// <summary>Whether any query named <paramref name="name"/>.</summary>
    public bool WasQueried(string name) => queried.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>How many queries named <paramref name="name"/> (to show that a command asks once).</summary>
    public int QueriesFor(string name) => queried.Count(q => string.Equals(q, name, StringComparison.OrdinalIgnoreCase));

    public LoopbackDns Txt(string name, params string[] strings)
    {
        var data = new List<byte>();
        foreach (var s in strings)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            data.Add((byte)bytes.Length);
            data.AddRange(bytes);
        }

        return Add(name, TypeTxt, [.. data]);
    }

    public LoopbackDns Cname(string name, string target, bool chase = true)
    {
        if (!chase)
        {
            lock (zone)
            {
                unchased.Add(name);
            }
        }

        return Add(name, TypeCname, EncodeName(target));
    }

    public LoopbackDns Mx(string name, ushort preference, string exchange)
    {
        var data = new byte[2].Concat(EncodeName(exchange)).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(data, preference);
        return Add(name, TypeMx, data);
    }

    public LoopbackDns A(string name, IPAddress address) =>
        Add(name, address.AddressFamily == AddressFamily.InterNetworkV6 ? TypeAaaa : TypeA, address.GetAddressBytes());

    /// <summary>Answer queries for <paramref name="name"/> with RCODE 2 (SERVFAIL) or 5 (REFUSED).</summary>
    public LoopbackDns Fail(string name, byte rcode)
    {
        lock (zone)
        {
            failures[name] = rcode;
        }

        return this;
    }

    /// <summary>Never answer queries for <paramref name="name"/>.</summary>
    public LoopbackDns Silent(string name)
    {
        lock (zone)
        {
            silent.Add(name);
        }

        return this;
    }

    public void Remove(string name)
    {
        lock (zone)
        {
            zone.Remove(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        udp.Dispose();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        stop.Dispose();
    }

    private LoopbackDns Add(string name, ushort type, byte[] data)
    {
        lock (zone)
        {
            if (!zone.TryGetValue(name, out var records))
            {
                zone[name] = records = [];
            }

            records.Add((type, data));
        }

        return this;
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await udp.ReceiveAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref queries);
            var answer = Answer(received.Buffer);
            if (answer is not null)
            {
                await udp.SendAsync(answer, received.RemoteEndPoint, stop.Token);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        // Header (12 bytes), then one question: QNAME, QTYPE, QCLASS.
        var (name, end) = ReadName(query, 12);
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(end));
        var question = query.AsSpan(12, end + 4 - 12).ToArray();
        queried.Enqueue(name);
        byte rcode = 0;
        var answers = new List<byte[]>();
        lock (zone)
        {
            if (silent.Contains(name))
            {
                return null;
            }

            if (failures.TryGetValue(name, out var failure))
            {
                rcode = failure;
            }
            else if (!zone.ContainsKey(name))
            {
                rcode = 3; // NXDOMAIN
            }
            else
            {
                var current = name;
                for (var hop = 0; hop < 16 && zone.TryGetValue(current, out var records); hop++)
                {
                    var matching = records.Where(r => r.Type == type).ToList();
                    answers.AddRange(matching.Select(r => Record(current, r.Type, r.Data)));
                    var cname = records.FirstOrDefault(r => r.Type == TypeCname);
                    if (matching.Count > 0 || cname.Data is null || type == TypeCname)
                    {
                        break;
                    }

                    answers.Add(Record(current, TypeCname, cname.Data));
                    if (unchased.Contains(current))
                    {
                        break;
                    }

                    current = ReadName(cname.Data, 0).Name;
                }
            }
        }

        var response = new List<byte>();
        var header = new byte[12];
        query.AsSpan(0, 2).CopyTo(header);                              // ID
        header[2] = (byte)(0x84 | (query[2] & 0x01));                   // QR, AA, RD copied
        header[3] = (byte)(0x80 | rcode);                               // RA, RCODE
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);     // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)answers.Count);
        response.AddRange(header);
        response.AddRange(question);
        answers.ForEach(response.AddRange);
        return [.. response];
    }

    private static byte[] Record(string name, ushort type, byte[] data)
    {
        var fixedPart = new byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), 1);      // IN
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), 60);     // TTL
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)data.Length);
        return [.. EncodeName(name), .. fixedPart, .. data];
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private static (string Name, int End) ReadName(byte[] message, int offset)
    {
        var labels = new List<string>();
        while (message[offset] != 0)
        {
            var length = message[offset];
            labels.Add(Encoding.ASCII.GetString(message, offset + 1, length));
            offset += 1 + length;
        }

        return (string.Join('.', labels), offset + 1);
    }
}
