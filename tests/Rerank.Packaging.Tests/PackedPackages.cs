using System.Diagnostics;

namespace Rerank.Packaging.Tests;

/// <summary>
/// The packages of every project under src/, packed once per test run: from <c>RERANK_PACKAGES_DIR</c> when CI has
/// packed them already (tools/ci/pack.sh), otherwise by running tools/ci/pack.sh into a temporary folder.
/// </summary>
internal static class PackedPackages
{
    private static readonly Lazy<IReadOnlyList<PackedPackage>> Packages = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Gets the name of every project under src/: each one is a package, by convention.</summary>
    public static IReadOnlyList<string> SourceProjects { get; } =
        [.. Directory.GetDirectories(Path.Combine(FindRepositoryRoot(), "src"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!];

    public static IReadOnlyList<PackedPackage> All => Packages.Value;

    public static PackedPackage Get(string id) =>
        All.SingleOrDefault(p => p.Id == id) ?? throw new AssertionException($"No package {id} was packed; packed: {string.Join(", ", All.Select(p => p.Id))}.");

    private static IReadOnlyList<PackedPackage> Load()
    {
        string? folder = Environment.GetEnvironmentVariable("RERANK_PACKAGES_DIR");
        if (string.IsNullOrEmpty(folder))
        {
            folder = Path.Combine(Path.GetTempPath(), "rerank-packaging-tests-" + Environment.ProcessId);
            Pack(folder);
        }

        string[] files = Directory.GetFiles(folder, "*.nupkg");
        if (files.Length == 0)
        {
            throw new AssertionException($"RERANK_PACKAGES_DIR '{folder}' holds no .nupkg: run tools/ci/pack.sh '{folder}' first.");
        }

        return [.. files.Select(f => PackedPackage.Read(f, folder))];
    }

    private static void Pack(string folder)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "tools", "ci", "pack.sh"), folder])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new AssertionException($"tools/ci/pack.sh failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rerank.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Rerank.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
