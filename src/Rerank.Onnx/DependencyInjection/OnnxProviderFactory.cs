using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rerank.Onnx.Hub;

namespace Rerank.Onnx;

/// <summary>The <c>onnx</c> provider of the <c>AddReranking</c> configuration schema: a local folder (<c>ModelDirectory</c>) or a Hugging Face repository (<c>Model</c>).</summary>
internal sealed class OnnxProviderFactory() : RerankerProviderFactory("onnx", Keys)
{
    private static readonly string[] Keys =
    [
        "ModelDirectory", "Variant", "ModelPath", "TokenizerPath", "MaxLength", "BatchSize", "IntraOpNumThreads", "InterOpNumThreads",
        "Activation", "LabelIndex", "Revision", "CacheDirectory", "Offline", "HubEndpoint", "HubToken",
    ];

    public override Func<IServiceProvider, IReranker> Configure(RerankerConfigurationContext context)
    {
        OnnxConfiguredModel model = Bind(context);
        if (model.Hub is null)
        {
            return sp => new OnnxCrossEncoderReranker(WithLogger(model.Options, sp));
        }

        return sp =>
        {
            OnnxCrossEncoderOptions settings = WithLogger(model.Options, sp);
            HuggingFaceHubOptions hub = model.Hub;
            hub.Logger ??= settings.Logger;

            // A DI factory is synchronous; the download runs on the thread pool so that no synchronization context can deadlock it.
            return Task.Run(() => OnnxCrossEncoderReranker.FromPretrainedAsync(model.RepoId!, settings, hub, model.Revision)).GetAwaiter().GetResult();
        };
    }

    /// <summary>Reads and checks the options: a local folder, or a Hub repository with its hub settings.</summary>
    internal static OnnxConfiguredModel Bind(RerankerConfigurationContext context)
    {
        string? directory = context.GetString("ModelDirectory");
        string? repoId = context.Model;
        var options = new OnnxCrossEncoderOptions
        {
            ModelPath = context.GetString("ModelPath"),
            TokenizerPath = context.GetString("TokenizerPath"),
            MaxLength = context.GetInt32("MaxLength", 3),
            IntraOpNumThreads = context.GetInt32("IntraOpNumThreads", 0),
            InterOpNumThreads = context.GetInt32("InterOpNumThreads", 0),
            Activation = context.GetValue<CrossEncoderActivation>("Activation"),
            LabelIndex = context.GetInt32("LabelIndex", 0),
        };
        options.ModelVariant = context.GetValue<OnnxModelVariant>("Variant") ?? options.ModelVariant;
        options.BatchSize = context.GetInt32("BatchSize", 1) ?? options.BatchSize;

        if (directory is not null)
        {
            string full = Path.GetFullPath(directory);
            if (!Directory.Exists(full))
            {
                throw context.Error("ModelDirectory", $"the folder '{full}' does not exist; it must hold config.json, the tokenizer files and the ONNX model.");
            }

            options.ModelDirectory = full;
            options.ModelId = repoId;
            foreach (string key in new[] { "Revision", "CacheDirectory", "Offline", "HubEndpoint", "HubToken" })
            {
                if (context.Section[key] is not null)
                {
                    throw context.Error(key, "applies only to a model downloaded from the Hub (Model), not to ModelDirectory; remove one of them.");
                }
            }

            return new OnnxConfiguredModel(options, null, null, null);
        }

        if (repoId is null)
        {
            throw context.Error("Model", "required: a Hugging Face repository id such as cross-encoder/ms-marco-MiniLM-L-6-v2, or set ModelDirectory to a local model folder.");
        }

        string? revision = context.GetString("Revision");
        try
        {
            HubNames.ValidateRepoId(repoId);
            HubNames.ValidateRevision(revision);
        }
        catch (ArgumentException ex)
        {
            throw context.Error(ex.ParamName == "revision" ? "Revision" : "Model", ex.Message.Split(" (Parameter '")[0], ex);
        }

        var hub = new HuggingFaceHubOptions
        {
            CacheDirectory = context.GetString("CacheDirectory"),
            Offline = context.GetValue<bool>("Offline"),
            Endpoint = context.GetUri("HubEndpoint"),
            Token = context.GetString("HubToken"),
        };

        return new OnnxConfiguredModel(options, repoId, revision, hub);
    }

    private static OnnxCrossEncoderOptions WithLogger(OnnxCrossEncoderOptions options, IServiceProvider services)
    {
        OnnxCrossEncoderOptions copy = OnnxCrossEncoderHub.Copy(options);
        copy.Logger ??= services.GetService<ILoggerFactory>()?.CreateLogger<OnnxCrossEncoderReranker>();
        return copy;
    }
}
