using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;

namespace Rerank.Packaging.Tests;

/// <summary>
/// Reads the packed .nupkg and .snupkg of every project under src/, as nuget.org and a user's restore would: metadata,
/// contents, symbols and, above all, dependencies, so that no package drags in what it does not use.
/// </summary>
[TestFixture]
public sealed class PackageTests
{
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private static IEnumerable<string> Projects => PackedPackages.SourceProjects;

    [Test]
    public void Every_source_project_is_packed_at_one_prerelease_version()
    {
        Assert.That(PackedPackages.All.Select(p => p.Id).Order(StringComparer.Ordinal), Is.EqualTo(PackedPackages.SourceProjects));
        string[] versions = [.. PackedPackages.All.Select(p => p.Version).Distinct()];
        Assert.That(versions, Has.Length.EqualTo(1), "every package has the one version of src/Directory.Build.props");
        Assert.That(versions[0], Does.Match(@"^0\.\d+\.\d+-preview\.\d+$"), "a preview until 1.0");
    }

    [TestCaseSource(nameof(Projects))]
    public void The_package_has_its_own_page_and_metadata(string id)
    {
        PackedPackage package = PackedPackages.Get(id);
        XNamespace ns = package.Metadata.Name.Namespace;

        Assert.That(package.Get("readme"), Is.EqualTo("README.md"));
        Assert.That(package.Files, Does.Contain("README.md"));
        XElement license = package.Metadata.Element(ns + "license")!;
        Assert.That((license.Attribute("type")?.Value, license.Value), Is.EqualTo(("expression", "MIT")));
        Assert.That(package.Get("description"), Is.Not.Empty.And.Not.EqualTo("Package Description"));
        Assert.That(package.Get("tags")!.Split(' '), Does.Contain("rerank"));
        Assert.That(package.Get("authors"), Is.EqualTo("Rerank contributors"));
        Assert.That(package.Metadata.Element(ns + "repository")?.Attribute("type")?.Value, Is.EqualTo("git"));
    }

    [TestCaseSource(nameof(Projects))]
    public void A_library_holds_its_own_assembly_and_xml_docs_and_no_pdb(string id)
    {
        PackedPackage package = PackedPackages.Get(id);
        if (package.IsTool)
        {
            Assert.That(package.Files.Where(f => f.StartsWith("lib/", StringComparison.Ordinal)), Is.Empty, "a .NET tool has no lib/ to reference");
            return;
        }

        Assert.That(package.Files.Where(f => f.StartsWith("lib/", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml" }));
        Assert.That(package.Files.Where(f => f.EndsWith(".pdb", StringComparison.Ordinal)), Is.Empty, "the PDB belongs in the .snupkg");
    }

    [TestCaseSource(nameof(Projects))]
    public void The_symbols_package_has_a_portable_pdb_with_every_source_embedded(string id)
    {
        PackedPackage package = PackedPackages.Get(id);
        Assert.That(package.SymbolsPath, Is.Not.Null, $"{id}.{package.Version}.snupkg beside the .nupkg");

        using ZipArchive zip = ZipFile.OpenRead(package.SymbolsPath!);
        ZipArchiveEntry pdb = zip.Entries.Single(e => e.FullName.EndsWith($"/{id}.pdb", StringComparison.Ordinal));
        using var buffer = new MemoryStream();
        using (Stream stream = pdb.Open())
        {
            stream.CopyTo(buffer);
        }

        buffer.Position = 0;
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(buffer);
        MetadataReader reader = provider.GetMetadataReader();
        var embedded = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(c => reader.GetGuid(c.Kind) == EmbeddedSource && c.Parent.Kind == HandleKind.Document)
            .Select(c => (DocumentHandle)c.Parent)
            .ToHashSet();
        string[] missing = [.. reader.Documents.Where(d => !embedded.Contains(d)).Select(d => reader.GetString(reader.GetDocument(d).Name))];
        Assert.That(reader.Documents.Count, Is.GreaterThan(0));
        Assert.That(missing, Is.Empty, "EmbedAllSources puts every source file into the PDB");
    }

    [TestCaseSource(nameof(Projects))]
    public void The_nuspec_lists_only_what_the_project_references(string id)
    {
        PackedPackage package = PackedPackages.Get(id);
        if (package.IsTool)
        {
            Assert.That(package.Dependencies, Is.Empty, "a .NET tool carries its dependencies inside");
            return;
        }

        XDocument project = XDocument.Load(Path.Combine(PackedPackages.RepositoryRoot, "src", id, id + ".csproj"));
        var referenced = project.Descendants("PackageReference").Select(r => (string)r.Attribute("Include")!)
            .Concat(project.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/'))))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.That(package.Dependencies.Select(d => d.Id).Where(d => !referenced.Contains(d)), Is.Empty,
            $"dependencies of {id} that its project does not reference (transitive pinning, or a build-only package not marked PrivateAssets=all)");
    }

    [Test]
    public void Rerank_Abstractions_depends_on_nothing() =>
        Assert.That(PackedPackages.Get("Rerank.Abstractions").Dependencies, Is.Empty);

    [Test]
    public void Rerank_Cohere_pulls_neither_ONNX_Runtime_nor_what_only_the_pipeline_uses()
    {
        PackedPackage cohere = PackedPackages.Get("Rerank.Cohere");
        string[] closure = Closure(cohere);

        Assert.That(closure, Has.None.StartsWith("Microsoft.ML.OnnxRuntime").And.None.EqualTo("Rerank.Onnx"));
        Assert.That(cohere.Dependencies.Select(d => d.Id), Has.None.EqualTo("Polly.Core"), "Polly comes through Microsoft.Extensions.Http.Resilience, not as a pin");
    }

    [TestCaseSource(nameof(Projects))]
    public void Only_packages_built_on_Rerank_Onnx_reach_ONNX_Runtime(string id)
    {
        PackedPackage package = PackedPackages.Get(id);
        string[] closure = Closure(package);
        if (id == "Rerank.Onnx" || closure.Contains("Rerank.Onnx"))
        {
            Assert.That(closure, Has.Some.StartsWith("Microsoft.ML.OnnxRuntime"));
            return;
        }

        Assert.That(closure, Has.None.StartsWith("Microsoft.ML.OnnxRuntime"));
    }

    [TestCaseSource(nameof(Projects))]
    public void The_project_tracks_its_public_api(string id)
    {
        foreach (string file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            string path = Path.Combine(PackedPackages.RepositoryRoot, "src", id, file);
            Assert.That(File.Exists(path), Is.True, $"{path}: run tools/update-public-api.sh");
            Assert.That(File.ReadLines(path).FirstOrDefault(), Is.EqualTo("#nullable enable"), $"{path} tracks nullability");
        }
    }

    /// <summary>The package's dependency ids, following our own packages' nuspecs (third-party closures are checked by tools/ci/consume-packages.sh on a real restore).</summary>
    private static string[] Closure(PackedPackage package)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<PackedPackage>([package]);
        while (pending.TryDequeue(out PackedPackage? next))
        {
            foreach (var (dependency, _) in next.Dependencies)
            {
                if (seen.Add(dependency) && PackedPackages.All.FirstOrDefault(p => p.Id == dependency) is { } ours)
                {
                    pending.Enqueue(ours);
                }
            }
        }

        return [.. seen];
    }
}
