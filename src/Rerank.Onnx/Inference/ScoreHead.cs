using Rerank.Onnx.Model;

namespace Rerank.Onnx.Inference;

/// <summary>Turns one pair's logits into its score: the activation, then the chosen label.</summary>
internal sealed class ScoreHead
{
    // Names of the label that means "relevant" in the id2label of the cross-encoders on the Hub.
    private static readonly string[] RelevantLabelNames = ["relevant", "positive", "yes", "true", "entailment", "label_1", "1"];

    private ScoreHead(CrossEncoderActivation activation, int numLabels, int labelIndex, string source)
    {
        Activation = activation;
        NumLabels = numLabels;
        LabelIndex = labelIndex;
        Source = source;
    }

    /// <summary>Gets the activation.</summary>
    public CrossEncoderActivation Activation { get; }

    /// <summary>Gets the number of logits per pair.</summary>
    public int NumLabels { get; }

    /// <summary>Gets the index of the logit that becomes the score.</summary>
    public int LabelIndex { get; }

    /// <summary>Gets where the activation came from, for the log ("config.json sentence_transformers.activation_fn", ...).</summary>
    public string Source { get; }

    /// <summary>Decides the activation and the label as sentence-transformers' CrossEncoder would, with the options' overrides.</summary>
    /// <param name="config">The model's config.json.</param>
    /// <param name="numLabels">The number of logits the graph produces per pair.</param>
    /// <param name="activationOverride">The options' activation, if set.</param>
    /// <param name="labelIndexOverride">The options' label index, if set.</param>
    /// <param name="ignoredActivation">An activation class in config.json that was ignored (not a torch class), for a warning.</param>
    /// <returns>The head.</returns>
    /// <exception cref="OnnxModelLoadException">config.json names an activation this library does not implement, or Softmax for one label, or the label cannot be chosen.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An override does not fit the model.</exception>
    public static ScoreHead Create(ModelConfig config, int numLabels, CrossEncoderActivation? activationOverride, int? labelIndexOverride, out string? ignoredActivation)
    {
        ignoredActivation = null;
        CrossEncoderActivation activation;
        string source;
        if (activationOverride is { } chosen)
        {
            activation = chosen;
            source = "OnnxCrossEncoderOptions.Activation";
        }
        else if (config.ActivationFunction is { } classPath && ParseTorchActivation(classPath, config.Path) is { } fromConfig)
        {
            activation = fromConfig;
            source = $"config.json ({classPath})";
        }
        else
        {
            // sentence-transformers only imports torch.* classes from a config unless trust_remote_code is set; anything
            // else falls back to the default, and so do we.
            ignoredActivation = config.ActivationFunction;
            activation = numLabels == 1 ? CrossEncoderActivation.Sigmoid : CrossEncoderActivation.Softmax;
            source = numLabels == 1 ? "default for one label" : "default for several labels";
        }

        if (activation == CrossEncoderActivation.Softmax && numLabels == 1)
        {
            // The option is the caller's mistake; the same activation read from config.json is the model folder's, and the
            // caller only learns which file to fix (or which option overrides it) from a load error that names the file.
            throw activationOverride is not null
                ? new ArgumentOutOfRangeException(nameof(activationOverride), activation, "Softmax over a single label is always 1; use Sigmoid or Identity for a one-label model.")
                : new OnnxModelLoadException(
                    $"'{config.Path}' names the activation '{config.ActivationFunction}' for a model with one label: a softmax over a single label scores every document 1. Set OnnxCrossEncoderOptions.Activation to Sigmoid or Identity.",
                    config.Path);
        }

        int labelIndex = ChooseLabel(config, numLabels, labelIndexOverride);
        return new ScoreHead(activation, numLabels, labelIndex, source);
    }

    /// <summary>Computes the score of one pair.</summary>
    /// <param name="logits">The pair's <see cref="NumLabels"/> logits.</param>
    /// <returns>The score.</returns>
    public double Score(ReadOnlySpan<float> logits)
    {
        double chosen = logits[LabelIndex];
        switch (Activation)
        {
            case CrossEncoderActivation.Sigmoid:
                return 1.0 / (1.0 + Math.Exp(-chosen));
            case CrossEncoderActivation.Softmax:
                double max = double.NegativeInfinity;
                foreach (float logit in logits)
                {
                    max = Math.Max(max, logit);
                }

                double sum = 0;
                foreach (float logit in logits)
                {
                    sum += Math.Exp(logit - max);
                }

                return Math.Exp(chosen - max) / sum;
            default:
                return chosen;
        }
    }

    /// <summary>Maps a torch class path (<c>torch.nn.modules.activation.Sigmoid</c>, <c>torch.nn.Identity</c>) to an activation.</summary>
    /// <returns>The activation, or <see langword="null"/> for a class outside torch, which sentence-transformers ignores too.</returns>
    internal static CrossEncoderActivation? ParseTorchActivation(string classPath, string? configPath)
    {
        if (!classPath.StartsWith("torch.", StringComparison.Ordinal))
        {
            return null;
        }

        string name = classPath[(classPath.LastIndexOf('.') + 1)..];
        return name switch
        {
            "Identity" => CrossEncoderActivation.Identity,
            "Sigmoid" => CrossEncoderActivation.Sigmoid,
            "Softmax" => CrossEncoderActivation.Softmax,
            _ => throw new OnnxModelLoadException(
                $"config.json names the activation '{classPath}', which this library does not implement (it knows Identity, Sigmoid and Softmax). Set OnnxCrossEncoderOptions.Activation to choose one.",
                configPath),
        };
    }

    private static int ChooseLabel(ModelConfig config, int numLabels, int? labelIndexOverride)
    {
        if (numLabels == 1)
        {
            return 0;
        }

        if (labelIndexOverride is int index)
        {
            if (index < 0 || index >= numLabels)
            {
                throw new ArgumentOutOfRangeException(nameof(labelIndexOverride), index, $"OnnxCrossEncoderOptions.LabelIndex must be between 0 and {numLabels - 1}: the model has {numLabels} labels.");
            }

            return index;
        }

        foreach (string name in RelevantLabelNames)
        {
            foreach (KeyValuePair<int, string> label in config.Id2Label)
            {
                if (label.Key < numLabels && string.Equals(label.Value, name, StringComparison.OrdinalIgnoreCase))
                {
                    return label.Key;
                }
            }
        }

        if (numLabels == 2)
        {
            return 1;
        }

        string labels = config.Id2Label.Count == 0 ? "none named" : string.Join(", ", config.Id2Label.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"));
        throw new OnnxModelLoadException(
            $"The model has {numLabels} labels ({labels}) and none of them is named as the relevant one. Set OnnxCrossEncoderOptions.LabelIndex to the label whose probability is the score.",
            config.Path);
    }
}
