using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx.Tests.Runtime;

namespace Rerank.Onnx.Tests.Embeddings;

/// <summary>Bad input, configuration, concurrency and disposal of <see cref="OnnxEmbeddingGenerator"/> on the fixtures.</summary>
public sealed class EmbeddingGeneratorBehaviourTests
{
    private static string Bert => EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Bert);

    private static string Xlmr => EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Xlmr);

    [Test]
    public async Task Empty_whitespace_and_lone_surrogate_texts_get_finite_embeddings()
    {
        using var generator = new OnnxEmbeddingGenerator(Bert);

        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync([string.Empty, "   \t\n ", "\uD800", "a\uDC00b", "\uFFFD"]);

        Assert.That(embeddings, Has.Count.EqualTo(5));
        Assert.That(embeddings.SelectMany(e => e.Vector.ToArray()), Is.All.Matches<float>(float.IsFinite));
        Assert.That(embeddings[0].Vector.ToArray(), Is.EqualTo(embeddings[1].Vector.ToArray()), "whitespace tokenises to nothing, like the empty string: [CLS] [SEP]");
        Assert.That(embeddings[2].Vector.ToArray(), Is.EqualTo(embeddings[4].Vector.ToArray()), "a lone surrogate reads as U+FFFD, as Rust's from_utf16_lossy makes it");
    }

    [Test]
    public async Task A_1_MB_text_is_truncated_without_tokenising_all_of_it_and_equals_its_prefix()
    {
        using var generator = new OnnxEmbeddingGenerator(Bert);
        string words = string.Join(' ', Enumerable.Range(0, 200_000).Select(i => i % 7 == 0 ? "retrieval" : "document"));
        string huge = words[..(1 << 20)];

        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync([huge, words[..2000]]);

        Assert.That(embeddings[0].Vector.ToArray(), Is.EqualTo(embeddings[1].Vector.ToArray()), "both keep the same first 22 word tokens");
        Assert.That(embeddings.AdditionalProperties![RerankResponseProperties.TruncatedDocuments], Is.EqualTo(2));
        Assert.That(embeddings.Usage!.InputTokenCount, Is.EqualTo(48));
    }

    [Test]
    public async Task A_1_MB_text_without_spaces_is_tokenised_whole_and_truncated()
    {
        using var generator = new OnnxEmbeddingGenerator(Bert);
        string cjk = string.Concat(Enumerable.Repeat("北京是中国的首都", 1 << 17));

        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync([cjk, "北京是中国的首都北京是中国的首都北京是中国的首都"]);

        Assert.That(embeddings[0].Vector.ToArray(), Is.EqualTo(embeddings[1].Vector.ToArray()).Within(1e-6f));
    }

    [Test]
    public void A_null_text_is_rejected_naming_its_index()
    {
        using var generator = new OnnxEmbeddingGenerator(Bert);
        Assert.That(() => generator.GenerateAsync(["a", null!, "c"]), Throws.ArgumentException.With.Message.Contains("index 1"));
    }

    [Test]
    public async Task An_empty_list_gives_no_embeddings_and_runs_no_model()
    {
        using var generator = new OnnxEmbeddingGenerator(Bert);
        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync([]);
        Assert.That(embeddings, Is.Empty);
        Assert.That(generator.SessionRunCount, Is.Zero);
    }

    [Test]
    public void A_pooling_module_listed_in_modules_json_without_its_configuration_is_an_error_not_a_guess()
    {
        using var folder = new TempModelFolder(Bert);
        Directory.Delete(folder["1_Pooling"], recursive: true);

        var error = Assert.Throws<OnnxModelNotFoundException>(() => new OnnxEmbeddingGenerator(folder.Path))!;

        Assert.That(error.Message, Does.Contain("pooling configuration that modules.json names").And.Contain(Path.Combine("1_Pooling", "config.json")));
    }

    [TestCase("./pool")]
    [TestCase("a//b")]
    [TestCase("../outside")]
    [TestCase("/etc")]
    public void A_pooling_folder_that_is_not_a_plain_relative_path_is_refused(string path)
    {
        using var folder = new TempModelFolder(Bert);
        File.WriteAllText(folder["modules.json"], $$"""[{"path": "{{path}}", "type": "sentence_transformers.models.Pooling"}]""");

        Assert.That(() => new OnnxEmbeddingGenerator(folder.Path), Throws.InstanceOf<OnnxModelLoadException>().With.Message.Contains("outside the model folder or not a plain relative path"));
    }

    [Test]
    public async Task A_folder_without_pooling_configuration_gets_mean_pooling_and_a_logged_notice()
    {
        using var folder = new TempModelFolder(Bert);
        File.Delete(folder["modules.json"]);
        Directory.Delete(folder["1_Pooling"], recursive: true);
        var logger = new FakeLogger();

        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(folder.Path) { Logger = logger });

        Assert.That(generator.Pooling, Is.EqualTo(new[] { EmbeddingPooling.Mean }));
        Assert.That(generator.Normalize, Is.False, "no modules.json, so no Normalize module");
        FakeLogRecord notice = logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning);
        Assert.That(notice.Message, Does.Contain("no pooling configuration").And.Contain("mean pooling"));

        // Mean pooling without normalisation, as the reference computed it.
        PoolingGolden golden = EmbeddingGoldenFile.Load(EmbeddingGoldenFile.Bert).PoolingGoldens![0];
        EmbeddingFidelityTests.AssertClose((await generator.GenerateAsync([golden.Text]))[0].Vector.Span, golden.Embeddings["mean"], golden.Name);
    }

    [Test]
    public void A_pooling_mode_this_library_does_not_implement_is_a_clear_load_error()
    {
        using var folder = new TempModelFolder(Bert);
        folder.Write("1_Pooling/config.json", """{ "pooling_mode_weightedmean_tokens": true }""");
        Assert.That(() => new OnnxEmbeddingGenerator(folder.Path), Throws.InstanceOf<OnnxModelLoadException>().With.Message.Contains("weighted-mean"));
    }

    [Test]
    public void A_cross_encoder_folder_is_refused_with_a_message_naming_the_right_type()
    {
        Assert.That(() => new OnnxEmbeddingGenerator(Goldens.GoldenFile.ModelDirectory("tiny-bert-cross-encoder")), Throws.InstanceOf<OnnxModelLoadException>().With.Message.Contains("OnnxCrossEncoderReranker"));
    }

    [Test]
    public async Task Prompts_are_chosen_by_name_or_given_literally_and_unknown_names_are_rejected()
    {
        using var generator = new OnnxEmbeddingGenerator(Xlmr);
        var named = new EmbeddingGenerationOptions { AdditionalProperties = new() { [OnnxEmbeddingGenerator.PromptNameProperty] = "query" } };
        var literal = new EmbeddingGenerationOptions { AdditionalProperties = new() { [OnnxEmbeddingGenerator.PromptProperty] = "query: " } };

        float[] byName = (await generator.GenerateAsync(["hello world"], named))[0].Vector.ToArray();
        float[] byText = (await generator.GenerateAsync(["hello world"], literal))[0].Vector.ToArray();
        float[] inline = (await generator.GenerateAsync(["query: hello world"]))[0].Vector.ToArray();

        Assert.That(generator.Prompts.Keys, Is.EquivalentTo(new[] { "query", "passage" }));
        Assert.That(byName, Is.EqualTo(inline));
        Assert.That(byText, Is.EqualTo(inline));
        var unknown = new EmbeddingGenerationOptions { AdditionalProperties = new() { [OnnxEmbeddingGenerator.PromptNameProperty] = "document" } };
        Assert.That(() => generator.GenerateAsync(["x"], unknown), Throws.ArgumentException.With.Message.Contains("'query', 'passage'"));
    }

    [Test]
    public async Task Dimensions_keeps_the_first_dimensions_and_out_of_range_values_are_rejected()
    {
        using var generator = new OnnxEmbeddingGenerator(Bert);
        float[] full = (await generator.GenerateAsync(["hello"]))[0].Vector.ToArray();
        float[] cut = (await generator.GenerateAsync(["hello"], new EmbeddingGenerationOptions { Dimensions = 5 }))[0].Vector.ToArray();

        Assert.That(cut, Is.EqualTo(full[..5]));
        Assert.That(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 13 }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("12 dimensions"));
    }

    [Test]
    public void Metadata_names_the_model_and_its_dimensions()
    {
        using var generator = new OnnxEmbeddingGenerator(Bert);
        EmbeddingGeneratorMetadata metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.That(metadata.ProviderName, Is.EqualTo("onnx"));
        Assert.That(metadata.DefaultModelId, Is.EqualTo("tiny-bert-embedding"));
        Assert.That(metadata.DefaultModelDimensions, Is.EqualTo(12));
        Assert.That(generator.GetService<InferenceSession>(), Is.Not.Null);
    }

    [Test]
    public void The_model_runs_off_the_callers_thread()
    {
        using var generator = new OnnxEmbeddingGenerator(Bert);
        int caller = Environment.CurrentManagedThreadId;
        int worker = -1;
        generator.AfterBatch = _ => worker = Environment.CurrentManagedThreadId;

        // The caller blocks until the result is there, so its thread cannot be lent to the work: had the model run on the
        // caller's thread, the batch would report the caller's id.
        generator.GenerateAsync(["some text"]).GetAwaiter().GetResult();

        Assert.That(worker, Is.Not.EqualTo(-1).And.Not.EqualTo(caller));
    }

    [Test]
    public async Task Dispose_waits_for_a_running_call_which_stops_at_its_next_batch_and_later_calls_throw_ObjectDisposedException()
    {
        var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(Bert) { BatchSize = 1 });
        using var inBatch = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int held = 0;
        generator.AfterBatch = _ =>
        {
            if (Interlocked.Exchange(ref held, 1) == 0)
            {
                inBatch.Set();
                release.Wait();
            }
        };

        Task<GeneratedEmbeddings<Embedding<float>>> running = generator.GenerateAsync(["one", "two", "three"]);
        inBatch.Wait();
        Task disposing = Task.Run(generator.Dispose);
        try
        {
            // A state to reach, not a time to wait: Dispose has closed the door and is waiting for the running call.
            SpinWait.SpinUntil(() => generator.IsDisposing);
            Assert.That(disposing.IsCompleted, Is.False, "Dispose waits while a call runs");
            Assert.That(() => generator.GenerateAsync(["late"]), Throws.InstanceOf<ObjectDisposedException>(), "no call enters once Dispose has begun");
        }
        finally
        {
            release.Set();
        }

        await disposing;

        Assert.That(async () => await running, Throws.InstanceOf<ObjectDisposedException>().With.Message.Contains("disposed while the call was running"),
            "the batch that was running finished on a live session; the call then stopped instead of holding Dispose up for the rest");
        Assert.That(generator.SessionRunCount, Is.EqualTo(1));
        Assert.That(() => generator.CountTokens("x"), Throws.InstanceOf<ObjectDisposedException>());
        generator.Dispose();
    }

    [Test]
    public async Task Cancellation_between_batches_stops_the_call()
    {
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(Bert) { BatchSize = 1 });
        using var cts = new CancellationTokenSource();
        generator.AfterBatch = batch =>
        {
            if (batch == 1)
            {
                cts.Cancel();
            }
        };

        Assert.That(async () => await generator.GenerateAsync(["one", "two", "three"], cancellationToken: cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(generator.SessionRunCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_calls_give_the_same_embeddings_as_one_call()
    {
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(Bert) { BatchSize = 4 });
        string[] texts = [.. Enumerable.Range(0, 16).Select(i => $"text number {i} about retrieval")];
        GeneratedEmbeddings<Embedding<float>> together = await generator.GenerateAsync(texts);

        GeneratedEmbeddings<Embedding<float>>[] apart = await Task.WhenAll(texts.Select(t => generator.GenerateAsync([t])));

        for (int i = 0; i < texts.Length; i++)
        {
            Assert.That(apart[i][0].Vector.ToArray(), Is.EqualTo(together[i].Vector.ToArray()).Within(1e-6f), texts[i]);
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    public void Bad_options_are_rejected_with_the_option_named(int which)
    {
        OnnxEmbeddingGeneratorOptions options = which == 0
            ? new OnnxEmbeddingGeneratorOptions(Bert) { BatchSize = 0 }
            : new OnnxEmbeddingGeneratorOptions(Bert) { MaxLength = 513 };
        Assert.That(() => new OnnxEmbeddingGenerator(options), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains(which == 0 ? "BatchSize" : "MaxLength"));
    }

    [Test]
    public void A_missing_folder_names_the_paths_looked_at()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        Assert.That(() => new OnnxEmbeddingGenerator(missing), Throws.InstanceOf<OnnxModelNotFoundException>().With.Message.Contains(missing).And.Message.Contains("OnnxEmbeddingGeneratorOptions.ModelDirectory"));
    }
}
