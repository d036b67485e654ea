using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/MtaSts.Functional.Benchmarks -- --job short --filter '*'
// dotnet run -c Release --project benchmarks/MtaSts.Functional.Benchmarks -- memory [count] [raw]
if (args is ["memory", ..])
{
    return MtaSts.Functional.Benchmarks.MemoryFill.Run(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000,
        canonical: args is not [_, _, "raw"]);
}

// dotnet run -c Release --project benchmarks/MtaSts.Functional.Benchmarks -- parse-ratios [rounds]
if (args is ["parse-ratios", ..])
{
    return MtaSts.Functional.Benchmarks.ParseRatios.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 400);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

/// <summary>Entry point type (for the switcher).</summary>
public partial class Program;
