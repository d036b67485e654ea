using System.Text;
using MtaSts.Functional.Fuzz;
using SharpFuzz;

// dotnet MtaSts.Functional.Fuzz.dll TARGET            run under afl-fuzz (input on stdin / shared memory)
// dotnet MtaSts.Functional.Fuzz.dll TARGET once FILE  replay one input (a crash file) and print what broke
// dotnet MtaSts.Functional.Fuzz.dll TARGET seed CONFORMANCE_DIR SEED_DIR   write the starting corpus
if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: MtaSts.Functional.Fuzz TARGET [once FILE]; targets: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}

// Bytes from the fuzzer become a string the way a DNS or HTTP client would give one: UTF-8, invalid
// sequences replaced (the parsers' contract is over strings).
static string Text(byte[] bytes) => new UTF8Encoding(false, false).GetString(bytes);

if (args is [_, "seed", var conformance, var seeds])
{
    Console.WriteLine($"{Seeds.Write(args[0], conformance, seeds)} seeds written to {seeds}");
    return 0;
}

if (args is [_, "once", var file])
{
    target(Text(File.ReadAllBytes(file)));
    Console.WriteLine("ok: no invariant broken");
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(Text(buffer.ToArray()));
});
return 0;
