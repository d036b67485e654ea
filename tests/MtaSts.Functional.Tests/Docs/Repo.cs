namespace MtaSts.Functional.Tests.Docs;

/// <summary>The repository checkout the tests were built from (the folder holding MtaSts.Functional.sln).</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MtaSts.Functional.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("tests run from inside the repository checkout");
    }
}
