using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/MtaSts.Functional.Benchmarks -- --job short --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point type (for the switcher).</summary>
public partial class Program;
