// Times the SHA-256 file digests of ModelFingerprint (src/Rerank.Onnx/Model/ModelFingerprint.cs), streamed the same way:
// the fixture model folder given as the argument, then a generated 90 MB file (the size of a MiniLM-L6 cross-encoder).
// dotnet run -c Release --project tools/measure-fingerprint -- tests/Rerank.Onnx.Tests/Fixtures/tiny-bert-cross-encoder
using System.Diagnostics;
using System.Security.Cryptography;
static string Digest(string path)
{
    using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan);
    return Convert.ToHexStringLower(SHA256.HashData(stream));
}
string dir = args[0];
string[] files = [Path.Combine(dir, "onnx/model.onnx"), Path.Combine(dir, "config.json"), Path.Combine(dir, "tokenizer.json"), Path.Combine(dir, "tokenizer_config.json")];
long bytes = files.Sum(f => new FileInfo(f).Length);
foreach (var f in files) Digest(f); // warm (page cache, JIT)
var times = new List<double>();
for (int i = 0; i < 20; i++) { var sw = Stopwatch.StartNew(); foreach (var f in files) Digest(f); times.Add(sw.Elapsed.TotalMilliseconds); }
times.Sort();
Console.WriteLine($"fixture files {bytes / 1e6:F2} MB: median {times[10]:F2} ms, min {times[0]:F2} ms");
string big = Path.Combine(Path.GetTempPath(), "h16a-90mb.bin");
var data = new byte[90_000_000]; new Random(1).NextBytes(data); File.WriteAllBytes(big, data);
Digest(big);
times.Clear();
for (int i = 0; i < 5; i++) { var sw = Stopwatch.StartNew(); Digest(big); times.Add(sw.Elapsed.TotalMilliseconds); }
times.Sort();
Console.WriteLine($"90 MB file (page cache warm): median {times[2]:F1} ms, min {times[0]:F1} ms");
File.Delete(big);
