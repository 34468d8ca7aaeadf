using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>The activation and label choice follow sentence-transformers' CrossEncoder, with the documented choice for several labels.</summary>
[TestFixture]
public sealed class ActivationTests
{
    private const string Query = "green plants and the sun";
    private static readonly string[] Documents = ToyModels.MixedLengthDocuments(12, seed: 9);

    [Test]
    public async Task One_label_without_a_configured_activation_is_the_sigmoid_of_the_logit()
    {
        using OnnxCrossEncoderReranker sigmoid = ToyModels.Create(ToyModels.Bert);
        using OnnxCrossEncoderReranker identity = ToyModels.Create(ToyModels.Bert, o => o.Activation = CrossEncoderActivation.Identity);
        Assert.That(sigmoid.Activation, Is.EqualTo(CrossEncoderActivation.Sigmoid));

        double[] scores = await ToyModels.ScoresAsync(sigmoid, Query, Documents);
        double[] logits = await ToyModels.ScoresAsync(identity, Query, Documents);

        Assert.That(scores, Is.EqualTo(logits.Select(l => 1 / (1 + Math.Exp(-l))).ToArray()).Within(1e-9));
        Assert.That(logits.Any(l => l is < 0 or > 1), "identity scores are raw logits");
    }

    [Test]
    public async Task Activation_fn_in_config_json_is_applied()
    {
        using OnnxCrossEncoderReranker fromConfig = ToyModels.Create(ToyModels.Int32Identity);
        using OnnxCrossEncoderReranker sigmoid = ToyModels.Create(ToyModels.Int32Identity, o => o.Activation = CrossEncoderActivation.Sigmoid);
        Assert.That(fromConfig.Activation, Is.EqualTo(CrossEncoderActivation.Identity), "sentence_transformers.activation_fn = torch.nn.modules.linear.Identity");

        double[] logits = await ToyModels.ScoresAsync(fromConfig, Query, Documents);
        double[] scores = await ToyModels.ScoresAsync(sigmoid, Query, Documents);

        Assert.That(scores, Is.EqualTo(logits.Select(l => 1 / (1 + Math.Exp(-l))).ToArray()).Within(1e-9));
    }

    [TestCase("{\"sbert_ce_default_activation_function\": \"torch.nn.modules.linear.Identity\", \"num_labels\": 1}", CrossEncoderActivation.Identity)]
    [TestCase("{\"sentence_transformers\": {\"activation_fn\": \"torch.nn.modules.activation.Sigmoid\"}, \"num_labels\": 1}", CrossEncoderActivation.Sigmoid)]
    [TestCase("{\"sentence_transformers\": {\"activation_fn\": \"torch.nn.Identity\"}, \"sbert_ce_default_activation_function\": \"torch.nn.Sigmoid\"}", CrossEncoderActivation.Identity)]
    [TestCase("{\"id2label\": {\"0\": \"LABEL_0\"}}", CrossEncoderActivation.Sigmoid)]
    public void The_activation_is_read_as_sentence_transformers_reads_it(string configJson, CrossEncoderActivation expected)
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        folder.Write("config.json", configJson);

        using OnnxCrossEncoderReranker reranker = ToyModels.Create(folder.Path);

        Assert.That(reranker.Activation, Is.EqualTo(expected));
    }

    [Test]
    public void Id2label_decides_the_number_of_labels_over_a_disagreeing_num_labels_as_transformers_does()
    {
        // transformers' PretrainedConfig overwrites num_labels with len(id2label); the graph outputs one label here.
        using var folder = new TempModelFolder(ToyModels.Bert);
        folder.Write("config.json", "{\"num_labels\": 2, \"id2label\": {\"0\": \"LABEL_0\"}}");

        using OnnxCrossEncoderReranker reranker = ToyModels.Create(folder.Path);

        Assert.That(reranker.Activation, Is.EqualTo(CrossEncoderActivation.Sigmoid));
    }

    [Test]
    public void A_custom_activation_class_is_ignored_with_a_warning_as_without_trust_remote_code()
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        folder.Write("config.json", "{\"num_labels\": 1, \"sentence_transformers\": {\"activation_fn\": \"my_package.MyActivation\"}}");
        var logger = new FakeLogger();

        using OnnxCrossEncoderReranker reranker = ToyModels.Create(folder.Path, o => o.Logger = logger);

        Assert.That(reranker.Activation, Is.EqualTo(CrossEncoderActivation.Sigmoid));
        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning).Message, Does.Contain("my_package.MyActivation"));
    }

    [Test]
    public void An_unimplemented_torch_activation_is_a_clear_error()
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        folder.Write("config.json", "{\"num_labels\": 1, \"sentence_transformers\": {\"activation_fn\": \"torch.nn.modules.activation.Tanh\"}}");

        var ex = Assert.Throws<OnnxModelLoadException>(() => ToyModels.Create(folder.Path));

        Assert.That(ex!.Message, Does.Contain("torch.nn.modules.activation.Tanh").And.Contain("OnnxCrossEncoderOptions.Activation"));
        Assert.DoesNotThrow(() => ToyModels.Create(folder.Path, o => o.Activation = CrossEncoderActivation.Identity).Dispose());
    }

    [Test]
    public void Softmax_is_rejected_for_a_single_label()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.Bert, o => o.Activation = CrossEncoderActivation.Softmax));
    }

    [Test]
    public void Softmax_for_a_single_label_in_config_json_is_a_load_error_naming_the_file()
    {
        using var folder = new TempModelFolder(ToyModels.Bert);
        folder.Write("config.json", "{\"num_labels\": 1, \"sentence_transformers\": {\"activation_fn\": \"torch.nn.modules.activation.Softmax\"}}");

        var ex = Assert.Throws<OnnxModelLoadException>(() => ToyModels.Create(folder.Path));

        Assert.That(ex!.Message, Does.Contain("torch.nn.modules.activation.Softmax").And.Contain("OnnxCrossEncoderOptions.Activation"));
        Assert.That(ex.Message, Does.Contain(folder["config.json"]));
        Assert.DoesNotThrow(() => ToyModels.Create(folder.Path, o => o.Activation = CrossEncoderActivation.Sigmoid).Dispose());
    }

    [Test]
    public async Task Two_labels_default_to_the_softmax_probability_of_the_label_named_relevant()
    {
        using OnnxCrossEncoderReranker probability = ToyModels.Create(ToyModels.XlmrTwoLabels);
        using OnnxCrossEncoderReranker relevantLogit = ToyModels.Create(ToyModels.XlmrTwoLabels, o => o.Activation = CrossEncoderActivation.Identity);
        using OnnxCrossEncoderReranker otherLogit = ToyModels.Create(ToyModels.XlmrTwoLabels, o => { o.Activation = CrossEncoderActivation.Identity; o.LabelIndex = 0; });
        Assert.That(probability.Activation, Is.EqualTo(CrossEncoderActivation.Softmax));

        double[] p = await ToyModels.ScoresAsync(probability, Query, Documents);
        double[] l1 = await ToyModels.ScoresAsync(relevantLogit, Query, Documents);
        double[] l0 = await ToyModels.ScoresAsync(otherLogit, Query, Documents);

        // softmax([l0, l1])[1] = sigmoid(l1 - l0).
        Assert.That(p, Is.EqualTo(l1.Zip(l0, (a, b) => 1 / (1 + Math.Exp(b - a))).ToArray()).Within(1e-9));
    }

    [Test]
    public async Task LabelIndex_chooses_another_label()
    {
        using OnnxCrossEncoderReranker relevant = ToyModels.Create(ToyModels.XlmrTwoLabels);
        using OnnxCrossEncoderReranker notRelevant = ToyModels.Create(ToyModels.XlmrTwoLabels, o => o.LabelIndex = 0);

        double[] p1 = await ToyModels.ScoresAsync(relevant, Query, Documents);
        double[] p0 = await ToyModels.ScoresAsync(notRelevant, Query, Documents);

        Assert.That(p0, Is.EqualTo(p1.Select(p => 1 - p).ToArray()).Within(1e-9));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToyModels.Create(ToyModels.XlmrTwoLabels, o => o.LabelIndex = 2));
    }

    [Test]
    public void The_relevant_label_is_found_by_name_and_an_unnamed_third_label_needs_LabelIndex()
    {
        var config = Rerank.Onnx.Model.ModelConfig.Load(WriteConfig("{\"id2label\": {\"0\": \"contradiction\", \"1\": \"entailment\", \"2\": \"neutral\"}}"));
        Assert.That(Rerank.Onnx.Inference.ScoreHead.Create(config, 3, null, null, out _).LabelIndex, Is.EqualTo(1));

        var unnamed = Rerank.Onnx.Model.ModelConfig.Load(WriteConfig("{\"id2label\": {\"0\": \"a\", \"1\": \"b\", \"2\": \"c\"}}"));
        var ex = Assert.Throws<OnnxModelLoadException>(() => Rerank.Onnx.Inference.ScoreHead.Create(unnamed, 3, null, null, out _));
        Assert.That(ex!.Message, Does.Contain("0=a, 1=b, 2=c").And.Contain("LabelIndex"));
        Assert.That(Rerank.Onnx.Inference.ScoreHead.Create(unnamed, 3, null, 2, out _).LabelIndex, Is.EqualTo(2));
    }

    private static string WriteConfig(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"rerank-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
