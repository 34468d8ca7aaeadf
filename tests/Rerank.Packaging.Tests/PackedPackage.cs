using System.IO.Compression;
using System.Xml.Linq;

namespace Rerank.Packaging.Tests;

/// <summary>One .nupkg (and its .snupkg) as NuGet would read it: the nuspec, the file list and the symbol files.</summary>
internal sealed record PackedPackage(
    string Id,
    string Version,
    XElement Metadata,
    IReadOnlyList<string> Files,
    IReadOnlyList<(string Id, string Version)> Dependencies,
    string? SymbolsPath,
    string Path)
{
    public static XNamespace Ns(XElement e) => e.Name.Namespace;

    public bool IsTool => Metadata.Element(Ns(Metadata) + "packageTypes")?.Elements().Any(t => (string?)t.Attribute("name") == "DotnetTool") == true;

    public string? Get(string element) => Metadata.Element(Ns(Metadata) + element)?.Value;

    public static PackedPackage Read(string path, string folder)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        ZipArchiveEntry nuspecEntry = zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        XDocument nuspec;
        using (Stream stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        XElement metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        XNamespace ns = metadata.Name.Namespace;
        string id = metadata.Element(ns + "id")!.Value;
        string version = metadata.Element(ns + "version")!.Value;
        var dependencies = metadata.Element(ns + "dependencies")?.Descendants(ns + "dependency")
            .Select(d => ((string)d.Attribute("id")!, (string)d.Attribute("version")!))
            .Distinct()
            .ToList() ?? [];
        string symbols = System.IO.Path.Combine(folder, $"{id}.{version}.snupkg");
        return new PackedPackage(
            id,
            version,
            metadata,
            [.. zip.Entries.Select(e => e.FullName)],
            dependencies,
            File.Exists(symbols) ? symbols : null,
            path);
    }
}
