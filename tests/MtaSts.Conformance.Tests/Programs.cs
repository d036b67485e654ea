using MtaSts.Functional.Tests.Docs;

namespace MtaSts.Conformance.Tests;

/// <summary>The child programs the tests run, built beside this project (same configuration and framework).</summary>
internal static class Programs
{
    /// <summary>The dotnet host that runs the test (set by dotnet test), or dotnet from PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>tests/MtaSts.Conformance.Fake.</summary>
    public static string Fake => Built("tests/MtaSts.Conformance.Fake", "MtaSts.Conformance.Fake.dll");

    /// <summary>conformance/adapters/dotnet, the project's own adapter.</summary>
    public static string Adapter => Built("conformance/adapters/dotnet", "MtaSts.Conformance.Adapter.dll");

    private static string Built(string project, string dll)
    {
        // .../tests/MtaSts.Conformance.Tests/bin/<configuration>/<framework>/ → the same bin/<configuration>/<framework> of the program.
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(here);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var path = Path.Combine(Repo.Root, project, "bin", configuration, framework, dll);
        Assert.True(File.Exists(path), $"{path} is not built");
        return path;
    }
}
