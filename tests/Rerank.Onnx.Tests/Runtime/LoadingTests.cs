using Microsoft.ML.OnnxRuntime;
using Rerank.Onnx.Model;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>Finding the files of a model folder, reading its configuration, validating options, and the errors when something is wrong.</summary>
[TestFixture]
public sealed class LoadingTests
{
    [Test]
    public void A_missing_folder_names_every_path_looked_for()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.Throws<OnnxModelNotFoundException>(() => ToyModels.Create(missing));

        Assert.That(ex!.SearchedPaths, Is.EqualTo(new[] { Path.Combine(missing, "onnx", "model.onnx"), Path.Combine(missing, "model.onnx") }));
        Assert.That(ex.Message, Does.Contain(Path.Combine(missing, "onnx", "model.onnx")).And.Contain(Path.Combine(missing, "model.onnx")).And.Contain("does not exist"));
        Assert.That(ex, Is.InstanceOf<FileNotFoundException>());
    }

    [Test]
    public void A_missing_quantized_export_names_every_quantized_file_name()
    {
        var ex = Assert.Throws<OnnxModelNotFoundException>(() => ToyModels.Create(ToyModels.XlmrTwoLabels, o => o.ModelVariant = OnnxModelVariant.Float16));
        Assert.That(ex!.SearchedPaths, Has.Count.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("model_fp16.onnx").And.Contain("ModelVariant"));

        using var folder = new TempModelFolder();
        ex = Assert.Throws<OnnxModelNotFoundException>(() => ToyModels.Create(folder.Path, o => o.ModelVariant = OnnxModelVariant.Quantized));
        Assert.That(ex!.SearchedPaths, Has.Count.EqualTo(14));
        Assert.That(ex.SearchedPaths[0], Is.EqualTo(folder["onnx/model_quantized.onnx"]));
        Assert.That(ex.Message, Does.Contain("model_qint8_avx512.onnx").And.Contain("model_int8.onnx"));
    }

    [Test]
    public void The_model_is_found_under_onnx_first_and_then_at_the_root()
    {
        using var folder = new TempModelFolder(ToyModels.XlmrTwoLabels);
        using (OnnxCrossEncoderReranker atRoot = ToyModels.Create(folder.Path))
        {
            Assert.That(atRoot.ModelPath, Is.EqualTo(folder["model.onnx"]));
        }

        Directory.CreateDirectory(folder["onnx"]);
        File.Copy(folder["model.onnx"], folder["onnx/model.onnx"]);
        using OnnxCrossEncoderReranker underOnnx = ToyModels.Create(folder.Path);
        Assert.That(underOnnx.ModelPath, Is.EqualTo(folder["onnx/model.onnx"]));
    }

    [Test]
    public async Task Explicit_model_and_tokenizer_paths_work_without_a_folder()
    {
        using var folder = new TempModelFolder(ToyModels.XlmrTwoLabels);
        folder.Write("vocab.txt", "[PAD]\n");
        var options = new OnnxCrossEncoderOptions { ModelPath = folder["model.onnx"], TokenizerPath = folder["vocab.txt"] };
        ModelFiles? seen = null;

        using var reranker = new OnnxCrossEncoderReranker(options, files => { seen = files; return new Fakes.FakeWordTokenizer(xlmrLayout: true); });
        RerankResponse response = await reranker.RerankAsync("query", ["a document"]);

        Assert.That(seen!.TokenizerPath, Is.EqualTo(folder["vocab.txt"]));
        Assert.That(seen.ConfigPath, Is.EqualTo(folder["config.json"]), "config.json is read beside the tokenizer");
        Assert.That(reranker.Activation, Is.EqualTo(CrossEncoderActivation.Softmax), "the two labels of config.json were read");
        Assert.That(response.Results, Has.Count.EqualTo(1));
    }

    [Test]
    public void Explicit_paths_that_do_not_exist_are_named()
    {
        var ex = Assert.Throws<OnnxModelNotFoundException>(() => ToyModels.Create(ToyModels.Bert, o => o.ModelPath = "onnx/model_O4.onnx"));
        Assert.That(ex!.SearchedPaths, Is.EqualTo(new[] { Path.Combine(ToyModels.Bert, "onnx", "model_O4.onnx") }));

        ex = Assert.Throws<OnnxModelNotFoundException>(() => ToyModels.Create(ToyModels.Bert, o => o.TokenizerPath = "tokenizer.json"));
        Assert.That(ex!.Message, Does.Contain(Path.Combine(ToyModels.Bert, "tokenizer.json")).And.Contain("TokenizerPath"));
    }

    [TestCase("")]
    [TestCase("this is not an onnx model")]
    [TestCase("\u0008\u0002garbage\u0000\u0000\u0001")]
    public void A_corrupt_onnx_file_is_a_clear_error(string content)
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        File.WriteAllText(folder["onnx/model.onnx"], content);

        var ex = Assert.Throws<OnnxModelLoadException>(() => ToyModels.Create(folder.Path));

        Assert.That(ex!.FilePath, Is.EqualTo(folder["onnx/model.onnx"]));
        Assert.That(ex.Message, Does.Contain(folder["onnx/model.onnx"]).And.Contain("corrupt"));
        Assert.That(ex.InnerException, Is.InstanceOf<OnnxRuntimeException>());
    }

    [Test]
    public void A_truncated_onnx_file_is_a_clear_error()
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        byte[] whole = File.ReadAllBytes(folder["onnx/model.onnx"]);
        File.WriteAllBytes(folder["onnx/model.onnx"], whole[..(whole.Length / 2)]);

        var ex = Assert.Throws<OnnxModelLoadException>(() => ToyModels.Create(folder.Path));

        Assert.That(ex!.Message, Does.Contain("incomplete"));
    }

    [Test]
    public void Malformed_config_json_names_the_file()
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        folder.Write("config.json", "{ \"num_labels\": 1, ");

        var ex = Assert.Throws<OnnxModelLoadException>(() => ToyModels.Create(folder.Path));

        Assert.That(ex!.FilePath, Is.EqualTo(folder["config.json"]));
        Assert.That(ex.Message, Does.Contain("not valid JSON"));
    }

    [Test]
    public void A_config_whose_labels_disagree_with_the_graph_is_rejected()
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        folder.Write("config.json", "{\"num_labels\": 3}");

        var ex = Assert.Throws<OnnxModelLoadException>(() => ToyModels.Create(folder.Path));

        Assert.That(ex!.Message, Does.Contain("3 label(s)").And.Contain("outputs 1"));
    }

    [Test]
    public void A_folder_without_config_json_uses_the_graph_and_the_defaults()
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        File.Delete(folder["config.json"]);
        File.Delete(folder["tokenizer_config.json"]);

        using OnnxCrossEncoderReranker reranker = ToyModels.Create(folder.Path);

        Assert.That(reranker.Activation, Is.EqualTo(CrossEncoderActivation.Sigmoid));
        Assert.That(reranker.MaxLength, Is.EqualTo(512));
    }

    [Test]
    public void MaxLength_defaults_to_the_smallest_of_the_model_limits()
    {
        using (OnnxCrossEncoderReranker bert = ToyModels.Create(ToyModels.Bert))
        {
            Assert.That(bert.MaxLength, Is.EqualTo(48), "model_max_length 48 < 64 positions");
        }

        using (OnnxCrossEncoderReranker xlmr = ToyModels.Create(ToyModels.XlmrTwoLabels))
        {
            Assert.That(xlmr.MaxLength, Is.EqualTo(64), "model_max_length 1e30 means none; 66 positions less padding_idx + 1 = 64");
        }

        Assert.That(OnnxCrossEncoderReranker.ChooseMaxLength(null, null, null, 3), Is.EqualTo(512));
        Assert.That(OnnxCrossEncoderReranker.ChooseMaxLength(null, 8192, 8194, 4), Is.EqualTo(512), "never above 512 by default");
        Assert.That(OnnxCrossEncoderReranker.ChooseMaxLength(256, 512, 512, 3), Is.EqualTo(256));
    }

    [Test]
    public void XLM_R_position_offset_comes_from_the_padding_index()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", "{\"model_type\": \"xlm-roberta\", \"max_position_embeddings\": 514, \"pad_token_id\": 1}");
        Assert.That(ModelConfig.Load(folder["config.json"]).UsablePositions, Is.EqualTo(512));

        folder.Write("config.json", "{\"model_type\": \"bert\", \"max_position_embeddings\": 512, \"pad_token_id\": 0}");
        Assert.That(ModelConfig.Load(folder["config.json"]).UsablePositions, Is.EqualTo(512));
    }

    [TestCase(0)]
    [TestCase(2)]
    [TestCase(65)]
    public void MaxLength_outside_what_the_model_can_take_is_rejected(int maxLength)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.Bert, o => o.MaxLength = maxLength));
        Assert.That(ex!.Message, Does.Contain("MaxLength"));
    }

    [Test]
    public void Options_are_validated_at_construction()
    {
        Assert.Throws<ArgumentNullException>(() => new OnnxCrossEncoderReranker((OnnxCrossEncoderOptions)null!));
        Assert.Throws<ArgumentException>(() => new OnnxCrossEncoderReranker(""));
        Assert.That(Assert.Throws<ArgumentException>(() => new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions { ModelPath = "model.onnx" }))!.Message, Does.Contain("TokenizerPath"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 0))!.Message, Does.Contain("BatchSize"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.Bert, o => o.IntraOpNumThreads = -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.Bert, o => o.InterOpNumThreads = -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.Bert, o => o.LabelIndex = -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.Bert, o => o.Activation = (CrossEncoderActivation)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.Bert, o => o.ModelVariant = (OnnxModelVariant)42));
    }

    [Test]
    public void The_session_options_hook_runs_and_thread_settings_apply()
    {
        bool called = false;
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o =>
        {
            o.IntraOpNumThreads = 2;
            o.InterOpNumThreads = 1;
            o.ConfigureSessionOptions = so =>
            {
                called = true;
                Assert.That(so.GraphOptimizationLevel, Is.EqualTo(GraphOptimizationLevel.ORT_ENABLE_ALL));
                Assert.That(so.IntraOpNumThreads, Is.EqualTo(2));
                Assert.That(so.InterOpNumThreads, Is.EqualTo(1));
            };
        });

        Assert.That(called);
    }

    [Test]
    public void GetService_returns_the_metadata_and_the_session()
    {
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.ModelId = "toy/bert");

        RerankerMetadata metadata = reranker.GetService<RerankerMetadata>()!;
        Assert.That(metadata.ProviderName, Is.EqualTo("onnx"));
        Assert.That(metadata.DefaultModelId, Is.EqualTo("toy/bert"));
        Assert.That(metadata.ProviderUri!.LocalPath, Is.EqualTo(reranker.ModelPath));
        Assert.That(reranker.GetService<InferenceSession>()!.InputMetadata.Keys, Is.EquivalentTo(new[] { "input_ids", "attention_mask", "token_type_ids" }));
        Assert.That(reranker.GetService<OnnxCrossEncoderReranker>(), Is.SameAs(reranker));
        Assert.That(reranker.GetService(typeof(InferenceSession), "key"), Is.Null);
    }

    [Test]
    public void ModelId_is_derived_from_a_huggingface_hub_cache_path()
    {
        string snapshot = Path.Combine("/cache", "hub", "models--cross-encoder--ms-marco-MiniLM-L-6-v2", "snapshots", "c5ee24cb16019beea0893ab7796b1df96625c6b8");
        Assert.That(OnnxCrossEncoderReranker.DeriveModelId(snapshot), Is.EqualTo("cross-encoder/ms-marco-MiniLM-L-6-v2"));
        Assert.That(OnnxCrossEncoderReranker.DeriveModelId(snapshot + "/"), Is.EqualTo("cross-encoder/ms-marco-MiniLM-L-6-v2"));
        Assert.That(OnnxCrossEncoderReranker.DeriveModelId("/models/my-reranker"), Is.EqualTo("my-reranker"));

        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert);
        Assert.That(reranker.ModelId, Is.EqualTo("bert-one-label"));
    }
}
