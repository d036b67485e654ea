using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/MtaSts.Functional.Resolver.Redis.Benchmarks -- --job short --filter '*Redis*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point type (for the switcher).</summary>
public partial class Program;
