using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>
/// GPUs and other execution providers: the test machines have the CPU build of ONNX Runtime, so a request for CUDA (or
/// DirectML, CoreML, OpenVINO) is unavailable here and must give the documented error, or the documented CPU
/// fall-back with a warning, never a silent CPU run.
/// </summary>
[TestFixture]
public sealed class ExecutionProviderTests
{
    private static readonly string[] Documents = ["alpha beta", "gamma delta epsilon", "zeta"];

    [Test]
    public void Cuda_on_the_cpu_build_is_a_clear_error_naming_the_package_to_install()
    {
        var ex = Assert.Throws<OnnxExecutionProviderException>(() =>
            ToyModels.Create(ToyModels.Bert, o => o.ExecutionProviders = [OnnxExecutionProvider.Cuda()]));

        Assert.That(ex!.Message, Does.Contain("CUDA").And.Contain("Microsoft.ML.OnnxRuntime.Gpu").And.Contain("docs/gpu.md").And.Contain("AllowCpuFallback"));
        Assert.That(ex.RequestedProviders, Is.EqualTo(new[] { "CUDA" }));
        Assert.That(ex.AvailableProviders, Does.Contain("CPUExecutionProvider"));
    }

    [Test]
    public void Every_requested_provider_is_named_with_its_reason()
    {
        var ex = Assert.Throws<OnnxExecutionProviderException>(() => ToyModels.Create(ToyModels.Bert, o => o.ExecutionProviders =
            [OnnxExecutionProvider.TensorRT(), OnnxExecutionProvider.Cuda(1), OnnxExecutionProvider.DirectML(), OnnxExecutionProvider.CoreML(), OnnxExecutionProvider.OpenVino("GPU")]));

        Assert.That(ex!.RequestedProviders, Is.EqualTo(new[] { "TensorRT", "CUDA", "DirectML", "CoreML", "OpenVINO" }));
        Assert.That(ex.Message, Does.Contain("TensorRT: ").And.Contain("DirectML: ").And.Contain("Microsoft.ML.OnnxRuntime.DirectML")
            .And.Contain("CoreML: ").And.Contain("OpenVINO: ").And.Contain("Intel.ML.OnnxRuntime.OpenVino"));
    }

    [Test]
    public async Task The_allowed_cpu_fallback_warns_and_scores_as_the_cpu_does()
    {
        var logger = new FakeLogger();
        using OnnxCrossEncoderReranker cpu = ToyModels.Create(ToyModels.Bert);
        using OnnxCrossEncoderReranker fallback = ToyModels.Create(ToyModels.Bert, o =>
        {
            o.ExecutionProviders = [OnnxExecutionProvider.Cuda()];
            o.AllowCpuFallback = true;
            o.Logger = logger;
        });

        Assert.That(await ToyModels.ScoresAsync(fallback, "alpha", Documents), Is.EqualTo(await ToyModels.ScoresAsync(cpu, "alpha", Documents)));
        FakeLogRecord warning = logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning);
        Assert.That(warning.Message, Does.Contain("CUDA is unavailable").And.Contain("running on the CPU instead").And.Contain("Microsoft.ML.OnnxRuntime.Gpu"));
    }

    [Test]
    public async Task An_unavailable_provider_falls_through_to_the_next_requested_one_with_a_warning()
    {
        var logger = new FakeLogger();
        int appended = 0;
        OnnxExecutionProvider cpu = OnnxExecutionProvider.Create("CPU (arena off)", "CPUExecutionProvider", so =>
        {
            appended++;
            so.AppendExecutionProvider_CPU(0);
        });
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o =>
        {
            o.ExecutionProviders = [OnnxExecutionProvider.Cuda(), cpu];
            o.Logger = logger;
        });

        Assert.That(await ToyModels.ScoresAsync(reranker, "alpha", Documents), Has.Length.EqualTo(3));
        Assert.That(appended, Is.EqualTo(1));
        var records = logger.Collector.GetSnapshot();
        Assert.That(records.Single(r => r.Level == LogLevel.Warning).Message, Does.Contain("CUDA is unavailable").And.Contain("running on CPU (arena off) instead"));
        Assert.That(records.Any(r => r.Level == LogLevel.Information && r.Message.Contains("runs", StringComparison.Ordinal) && r.Message.Contains("CPU (arena off)", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void A_provider_that_fails_to_start_is_reported_with_onnx_runtimes_reason()
    {
        OnnxExecutionProvider broken = OnnxExecutionProvider.Create("Broken", "CPUExecutionProvider",
            _ => throw new DllNotFoundException("libonnxruntime_providers_broken.so: cannot open shared object file"));

        var ex = Assert.Throws<OnnxExecutionProviderException>(() => ToyModels.Create(ToyModels.Bert, o => o.ExecutionProviders = [broken]));

        Assert.That(ex!.Message, Does.Contain("Broken: ONNX Runtime could not start it").And.Contain("cannot open shared object file"));
        Assert.That(ex.InnerException, Is.InstanceOf<DllNotFoundException>());
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_provider_that_is_added_but_cannot_create_the_session_is_an_error_or_the_warned_fallback(bool allowCpuFallback)
    {
        // Stands in for a GPU present in the build but unusable on the machine: the session, not the provider, fails.
        OnnxExecutionProvider unusable = OnnxExecutionProvider.Create("Unusable", "CPUExecutionProvider",
            so => so.OptimizedModelFilePath = Path.Combine(TestContext.CurrentContext.WorkDirectory, "no-such-folder", "optimized.onnx"));
        var logger = new FakeLogger();
        void Configure(OnnxCrossEncoderOptions o)
        {
            o.ExecutionProviders = [unusable];
            o.AllowCpuFallback = allowCpuFallback;
            o.Logger = logger;
        }

        if (!allowCpuFallback)
        {
            var ex = Assert.Throws<OnnxExecutionProviderException>(() => ToyModels.Create(ToyModels.Bert, Configure));
            Assert.That(ex!.Message, Does.Contain("could not create a session").And.Contain("on Unusable").And.Contain("AllowCpuFallback"));
            return;
        }

        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, Configure);
        Assert.That(await ToyModels.ScoresAsync(reranker, "alpha", Documents), Has.Length.EqualTo(3));
        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Warning).Message,
            Does.Contain("Unusable is unavailable").And.Contain("could not create the session").And.Contain("running on the CPU instead"));
    }

    [Test]
    public void Bad_provider_arguments_are_rejected_up_front()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExecutionProvider.Cuda(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExecutionProvider.DirectML(-1));
        Assert.Throws<ArgumentNullException>(() => OnnxExecutionProvider.OpenVino(null!));
        Assert.Throws<ArgumentException>(() => OnnxExecutionProvider.Create(" ", "X", _ => { }));
        Assert.Throws<ArgumentNullException>(() => OnnxExecutionProvider.Create("X", "X", null!));
        var ex = Assert.Throws<ArgumentException>(() => ToyModels.Create(ToyModels.Bert, o => o.ExecutionProviders = [OnnxExecutionProvider.CoreML(), null!]));
        Assert.That(ex!.Message, Does.Contain("ExecutionProviders[1]"));
    }

    [Test]
    public async Task No_providers_means_the_cpu_without_a_warning()
    {
        var logger = new FakeLogger();
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o =>
        {
            o.ExecutionProviders = [];
            o.Logger = logger;
        });

        Assert.That(await ToyModels.ScoresAsync(reranker, "alpha", Documents), Has.Length.EqualTo(3));
        Assert.That(logger.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning), Is.Empty);
    }
}
