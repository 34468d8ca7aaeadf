namespace Rerank.Onnx.Tests.Runtime;

/// <summary>A copy of a toy model folder in a temporary directory, for tests that break or rewrite files.</summary>
internal sealed class TempModelFolder : IDisposable
{
    public TempModelFolder(string? copyOf = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rerank-onnx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (copyOf is not null)
        {
            foreach (string file in Directory.EnumerateFiles(copyOf, "*", SearchOption.AllDirectories))
            {
                string target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(copyOf, file));
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Write(string relative, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(this[relative])!);
        File.WriteAllText(this[relative], text);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still mapped by a session on another thread; the temp folder is cleaned by the OS.
        }
    }
}
