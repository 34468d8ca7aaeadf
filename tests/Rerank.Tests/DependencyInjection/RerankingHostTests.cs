using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Rerank.Tests.DependencyInjection;

/// <summary>AddReranking inside a host: fail fast on a bad section, start-up and background loading, and the readiness health check.</summary>
[TestFixture]
public sealed class RerankingHostTests
{
    [Test]
    public void A_host_with_an_invalid_section_fails_to_start_naming_the_path()
    {
        var probe = new ProbeProviderFactory();
        using IHost host = Build("""{ "Reranking": { "Loading": "Startup", "Rerankers": { "local": { "Provider": "onnx" }, "p": { "Provider": "probe" } } } }""", probe);

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!;

        Assert.That(ex.Message, Does.Contain("Reranking:Rerankers:local:Provider: 'onnx' is provided by the Rerank.Onnx package"));
        Assert.That(probe.Built, Is.Empty, "validation runs before any model is loaded");
    }

    [Test]
    public async Task Startup_loading_builds_every_reranker_before_the_host_has_started()
    {
        var probe = new ProbeProviderFactory();
        using IHost host = Build("""{ "Reranking": { "Loading": "Startup", "Rerankers": { "a": { "Provider": "probe" }, "b": { "Provider": "probe" } } } }""", probe);

        await host.StartAsync();

        Assert.That(probe.Built.Select(b => b.Name), Is.EquivalentTo(new[] { "a", "b" }));
        HealthCheckResult health = await CheckAsync(host);
        Assert.That(health.Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(health.Data["a"], Is.EqualTo("Ready"));
        await host.StopAsync();
    }

    [Test]
    public async Task Startup_loading_stops_the_host_when_a_reranker_fails_to_load()
    {
        using IHost host = Build("""{ "Reranking": { "Loading": "Startup", "Rerankers": { "broken": { "Provider": "probe", "Fail": true } } } }""", new ProbeProviderFactory());

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync())!;

        Assert.That(ex.Message, Does.Contain("The reranker 'broken' (Reranking:Rerankers:broken) could not be built: the probe model of 'broken' is missing"));
        await host.StopAsync();
    }

    [Test]
    public async Task Lazy_loading_builds_nothing_at_start_and_reports_healthy_until_a_build_fails()
    {
        var probe = new ProbeProviderFactory();
        using IHost host = Build("""{ "Reranking": { "Rerankers": { "ok": { "Provider": "probe" }, "broken": { "Provider": "probe", "Fail": true } } } }""", probe);
        await host.StartAsync();

        Assert.That(probe.Built, Is.Empty);
        HealthCheckResult before = await CheckAsync(host);
        Assert.That(before.Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(before.Data["ok"], Is.EqualTo("NotLoaded"));

        IRerankerProvider rerankers = host.Services.GetRequiredService<IRerankerProvider>();
        rerankers.GetReranker("ok");
        Assert.Throws<InvalidOperationException>(() => rerankers.GetReranker("broken"));
        HealthCheckResult after = await CheckAsync(host, HealthStatus.Degraded);

        Assert.That(after.Status, Is.EqualTo(HealthStatus.Degraded), "the registration's failure status");
        Assert.That(after.Data["ok"], Is.EqualTo("Ready"));
        Assert.That(after.Data["broken"], Is.EqualTo("Failed"));
        Assert.That(after.Description, Does.Contain("'broken' failed: the probe model of 'broken' is missing"));
        Assert.That(after.Exception, Is.Not.Null);
        await host.StopAsync();
    }

    [Test]
    public async Task Background_loading_lets_the_host_start_and_reports_loading_until_the_reranker_is_ready()
    {
        var probe = new ProbeProviderFactory();
        using IHost host = Build("""{ "Reranking": { "Loading": "Background", "Rerankers": { "slow": { "Provider": "probe", "Gate": true } } } }""", probe);

        await host.StartAsync();
        HealthCheckResult loading = await CheckAsync(host);

        Assert.That(loading.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(loading.Data["slow"], Is.EqualTo("Loading"));
        Assert.That(loading.Description, Does.Contain("'slow' is loading"));

        probe.ReleaseBuilds();
        host.Services.GetRequiredService<IRerankerProvider>().GetReranker("slow"); // waits for the background build, if it still runs
        Assert.That((await CheckAsync(host)).Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(probe.Built, Has.Count.EqualTo(1), "built once, by whichever got there first");
        await host.StopAsync();
    }

    [Test]
    public void The_health_check_rejects_a_null_provider() =>
        Assert.Throws<ArgumentNullException>(() => _ = new RerankerHealthCheck(null!));

    private static IHost Build(string json, ProbeProviderFactory probe)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        builder.Services.AddReranking(builder.Configuration.GetSection("Reranking")).AddProvider(probe);
        return builder.Build();
    }

    private static Task<HealthCheckResult> CheckAsync(IHost host, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        var check = new RerankerHealthCheck(host.Services.GetRequiredService<IRerankerProvider>());
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("reranking", check, failureStatus, ["ready"]) };
        return check.CheckHealthAsync(context);
    }
}
