using System.Reflection;
using NUnit.Framework.Internal;
using Rerank.Testing;

namespace Rerank.Tests.Contract;

/// <summary>
/// Proves the contract suite has teeth: for each rule broken by hand, the contract test that guards it fails.
/// </summary>
[TestFixture]
public sealed class ContractSuiteDetectsBreakageTests
{
    private static readonly object[] Cases =
    [
        new object[] { Breakage.ReversedTies, nameof(RerankerContractTests.Equal_scores_keep_their_input_order), Array.Empty<object>() },
        new object[] { Breakage.UnstableSortDropsTieOrder, nameof(RerankerContractTests.Equal_scores_keep_their_input_order), Array.Empty<object>() },
        new object[] { Breakage.IgnoresTopN, nameof(RerankerContractTests.TopN_one_returns_the_best), Array.Empty<object>() },
        new object[] { Breakage.AcceptsTopNZero, nameof(RerankerContractTests.TopN_below_one_is_rejected), new object[] { 0 } },
        new object[] { Breakage.AcceptsTopNZero, nameof(RerankerContractTests.TopN_below_one_is_rejected), new object[] { -1 } },
        new object[] { Breakage.AcceptsInvalidOptions, nameof(RerankerContractTests.A_NaN_ScoreThreshold_and_MaxTokensPerDocument_below_one_are_rejected), Array.Empty<object>() },
        new object[] { Breakage.IgnoresScoreThreshold, nameof(RerankerContractTests.ScoreThreshold_drops_results_below_it), Array.Empty<object>() },
        new object[] { Breakage.IgnoresScoreThreshold, nameof(RerankerContractTests.ScoreThreshold_above_every_score_returns_nothing), Array.Empty<object>() },
        new object[] { Breakage.CallsBackendOnEmptyInput, nameof(RerankerContractTests.Empty_input_returns_an_empty_response_without_a_backend_call), Array.Empty<object>() },
        new object[] { Breakage.AcceptsNullQuery, nameof(RerankerContractTests.Null_query_throws_ArgumentNullException), Array.Empty<object>() },
        new object[] { Breakage.AcceptsEmptyQuery, nameof(RerankerContractTests.Empty_query_throws_ArgumentException), new object[] { "" } },
        new object[] { Breakage.NullDocumentWithoutIndex, nameof(RerankerContractTests.A_null_document_throws_ArgumentException_naming_its_index), Array.Empty<object>() },
        new object[] { Breakage.NullDocumentNamesNoArgument, nameof(RerankerContractTests.A_null_document_throws_ArgumentException_naming_its_index), Array.Empty<object>() },
        new object[] { Breakage.IgnoresCancellation, nameof(RerankerContractTests.A_cancelled_token_stops_the_call_before_the_backend), Array.Empty<object>() },
        new object[] { Breakage.SharedStateRace, nameof(RerankerContractTests.Sixty_four_concurrent_callers_get_the_same_answers_as_one), Array.Empty<object>() },
        new object[] { Breakage.IgnoresDispose, nameof(RerankerContractTests.After_Dispose_calls_throw_ObjectDisposedException_and_Dispose_is_idempotent), Array.Empty<object>() },
        new object[] { Breakage.IndexIsRank, nameof(RerankerContractTests.Index_points_back_into_the_input_and_the_document_is_the_callers), Array.Empty<object>() },
        new object[] { Breakage.CopiesDocuments, nameof(RerankerContractTests.Index_points_back_into_the_input_and_the_document_is_the_callers), Array.Empty<object>() },
        new object[] { Breakage.EnumeratesTwice, nameof(RerankerContractTests.The_documents_sequence_is_enumerated_once), Array.Empty<object>() },
        new object[] { Breakage.MutatesOptions, nameof(RerankerContractTests.The_callers_options_are_not_changed), Array.Empty<object>() },
        new object[] { Breakage.ScoresDependOnPosition, nameof(RerankerContractTests.A_documents_score_does_not_depend_on_input_order), Array.Empty<object>() },
        new object[] { Breakage.DeclaresNoScoreSemantics, nameof(RerankerContractTests.Metadata_declares_score_semantics_and_a_scoring_fingerprint), Array.Empty<object>() },
        new object[] { Breakage.DeclaredPointwiseButSetDependent, nameof(RerankerContractTests.A_reranker_declared_pointwise_scores_each_document_alike_in_any_candidate_set), Array.Empty<object>() },
    ];

    [TestCaseSource(nameof(Cases))]
    public async Task The_contract_test_fails_when_its_rule_is_broken(Breakage breakage, string testName, object[] arguments)
    {
        Exception? failure = await RunContractTestAsync(new BrokenContract(breakage), testName, arguments);

        Assert.That(failure, Is.Not.Null, $"{testName} passed against a reranker with {breakage}");
        Assert.That(failure, Is.Not.InstanceOf<IgnoreException>().And.Not.InstanceOf<InconclusiveException>());
    }

    [Test]
    public async Task Every_contract_test_passes_against_the_unbroken_test_reranker()
    {
        foreach (MethodInfo method in ContractTests())
        {
            object[][] argumentSets = method.GetCustomAttributes<TestCaseAttribute>().Select(a => a.Arguments).DefaultIfEmpty([]).ToArray()!;
            foreach (object[] arguments in argumentSets)
            {
                Exception? failure = await RunContractTestAsync(new TestRerankerContractTests(), method.Name, arguments);
                Assert.That(failure, Is.Null, $"{method.Name}({string.Join(", ", arguments)}) failed: {failure?.Message}");
            }
        }
    }

    [Test]
    public void Every_contract_rule_is_covered_by_a_breakage_case()
    {
        string[] covered = Cases.Cast<object[]>().Select(c => (string)c[1]).Distinct().ToArray();
        string[] notNeeded =
        [
            // Rules whose breakage the type system or the shared validation already prevents in this harness.
            nameof(RerankerContractTests.Results_are_ordered_by_score_descending_and_cover_every_document),
            nameof(RerankerContractTests.TopN_null_returns_all),
            nameof(RerankerContractTests.TopN_is_a_prefix_of_the_full_ranking),
            nameof(RerankerContractTests.TopN_larger_than_the_input_returns_all),
            nameof(RerankerContractTests.Null_documents_throw_ArgumentNullException),
            nameof(RerankerContractTests.A_null_string_document_throws_ArgumentException_naming_its_index),
            nameof(RerankerContractTests.Empty_document_text_is_scored),
            nameof(RerankerContractTests.GetService_rejects_a_null_type_and_finds_IReranker),
        ];

        Assert.That(ContractTests().Select(m => m.Name).Except(covered).Except(notNeeded), Is.Empty, "a contract test with no breakage case");
    }

    private static IEnumerable<MethodInfo> ContractTests() =>
        typeof(RerankerContractTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttributes<TestAttribute>().Any() || m.GetCustomAttributes<TestCaseAttribute>().Any());

    private static async Task<Exception?> RunContractTestAsync(RerankerContractTests fixture, string testName, object[] arguments)
    {
        MethodInfo method = typeof(RerankerContractTests).GetMethod(testName)!;

        // An isolated context keeps the inner test's assertion failures out of this test's result.
        using var isolated = new TestExecutionContext.IsolatedContext();
        try
        {
            object? returned = method.Invoke(fixture, arguments);
            if (returned is Task task)
            {
                await task;
            }

            return null;
        }
        catch (TargetInvocationException ex)
        {
            return ex.InnerException;
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            fixture.DisposeReranker();
        }
    }

    // An empty fixture source keeps NUnit from running this class as a fixture of its own; the tests above drive it.
    [TestFixtureSource(nameof(NoFixtures))]
    private sealed class BrokenContract(Breakage breakage) : RerankerContractTests
    {
        public static readonly object[] NoFixtures = [];

        private BrokenReranker? _reranker;

        protected override long BackendCallCount => _reranker!.BackendCalls;

        protected override IReranker CreateReranker() => _reranker = new BrokenReranker(breakage);
    }
}
