namespace Rerank;

// Coalescing of concurrent small requests with the same query into one inner call.
public sealed partial class BatchingReranker
{
    private readonly object _groupsLock = new();
    private readonly Dictionary<GroupKey, Group> _openGroups = [];

    /// <summary>Gets the number of groups waiting for their window to close; tests use it to order events without sleeping.</summary>
    internal int OpenGroupCount
    {
        get
        {
            lock (_groupsLock)
            {
                return _openGroups.Count;
            }
        }
    }

    private static bool IsCoalescable(RerankOptions? options) => options?.AdditionalProperties is not { Count: > 0 };

    private async Task<RerankResponse> CoalesceAsync(string query, IReadOnlyList<RerankDocument> list, RerankOptions? options, CancellationToken cancellationToken)
    {
        var key = new GroupKey(query, options?.ModelId, options?.MaxTokensPerDocument);
        var member = new Member(list, options);
        Group? overflowed = null;
        Group? filled = null;
        Group group;
        lock (_groupsLock)
        {
            if (_openGroups.TryGetValue(key, out Group? open) && open.DocumentCount + list.Count > _maxBatchSize)
            {
                // This request would overflow the open group: send that one now and start a new one.
                _openGroups.Remove(key);
                open.Closed = true;
                overflowed = open;
                open = null;
            }

            if (open is null)
            {
                open = new Group(key);
                _openGroups.Add(key, open);
                open.Timer = _timeProvider.CreateTimer(
                    static state =>
                    {
                        (BatchingReranker owner, Group closing) = ((BatchingReranker, Group))state!;
                        owner.OnWindowClosed(closing);
                    },
                    (this, open),
                    _window,
                    Timeout.InfiniteTimeSpan);
            }

            group = open;
            group.Members.Add(member);
            group.DocumentCount += list.Count;
            group.Live++;
            if (group.DocumentCount == _maxBatchSize)
            {
                // Full: send it without waiting for the window.
                _openGroups.Remove(key);
                group.Closed = true;
                filled = group;
            }
        }

        // Sent from the thread pool, as the window's timer does: an inner reranker that computes on the caller's thread
        // would otherwise hold this caller (and its cancellation) for the whole group's call.
        if (overflowed is not null)
        {
            _ = InnerCall.Start(() => SendAsync(overflowed));
        }

        if (filled is not null)
        {
            _ = InnerCall.Start(() => SendAsync(filled));
        }

        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            (BatchingReranker owner, Group group, Member member) = ((BatchingReranker, Group, Member))state!;
            owner.OnMemberCancelled(group, member, token);
        }, (this, group, member));

        return await member.Completion.Task.ConfigureAwait(false);
    }

    private void OnWindowClosed(Group group)
    {
        lock (_groupsLock)
        {
            if (group.Closed)
            {
                return;
            }

            group.Closed = true;
            _openGroups.Remove(group.Key);
        }

        // Not on the timer's thread: with a fake clock that is the thread advancing it.
        _ = InnerCall.Start(() => SendAsync(group));
    }

    private void OnMemberCancelled(Group group, Member member, CancellationToken token)
    {
        if (!member.Completion.TrySetCanceled(token))
        {
            return;
        }

        bool cancelCall;
        lock (_groupsLock)
        {
            cancelCall = --group.Live == 0;
            if (cancelCall && !group.Closed)
            {
                // Nobody is left to answer: the group is dropped before it is sent.
                group.Closed = true;
                _openGroups.Remove(group.Key);
                group.Timer?.Dispose();
            }
        }

        if (cancelCall)
        {
            group.Cancellation.Cancel();
        }
    }

    private async Task SendAsync(Group group)
    {
        group.Timer?.Dispose();
        Member[] members;
        lock (_groupsLock)
        {
            members = [.. group.Members.Where(m => !m.Completion.Task.IsCompleted)];
        }

        if (members.Length == 0)
        {
            return;
        }

        try
        {
            int total = members.Sum(m => m.Documents.Count);
            var documents = new RerankDocument[total];
            var offsets = new int[members.Length];
            for (int m = 0, offset = 0; m < members.Length; offset += members[m].Documents.Count, m++)
            {
                offsets[m] = offset;
                for (int i = 0; i < members[m].Documents.Count; i++)
                {
                    documents[offset + i] = members[m].Documents[i];
                }
            }

            // Only the options the group shares; each member applies its own TopN and threshold.
            var shared = new RerankOptions { ModelId = group.Key.ModelId, MaxTokensPerDocument = group.Key.MaxTokensPerDocument };
            var scores = new double[total];
            CancellationToken token = group.Cancellation.Token;
            RerankResponse response;
            await _slots.WaitAsync(token).ConfigureAwait(false);
            try
            {
                response = await InnerScoring.ScoreAsync(InnerReranker, group.Key.Query, documents, shared, scores, 0, token).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }

            for (int m = 0; m < members.Length; m++)
            {
                Member member = members[m];
                RerankResponse answer = ResponseProperties.From(RerankContract.Rank(member.Documents, scores.AsSpan(offsets[m], member.Documents.Count), member.Options), response);
                ResponseProperties.Set(answer, RerankResponseProperties.CoalescedRequests, members.Length);
                member.Completion.TrySetResult(answer);
            }
        }
        catch (Exception ex)
        {
            foreach (Member member in members)
            {
                if (ex is OperationCanceledException && group.Cancellation.IsCancellationRequested)
                {
                    member.Completion.TrySetCanceled(group.Cancellation.Token);
                }
                else
                {
                    member.Completion.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>What requests must share to be coalesced into one inner call.</summary>
    private readonly record struct GroupKey(string Query, string? ModelId, int? MaxTokensPerDocument);

    /// <summary>Requests waiting to share one inner call.</summary>
    private sealed class Group(GroupKey key)
    {
        public GroupKey Key { get; } = key;

        public List<Member> Members { get; } = [];

        // Cancelled only when every member has been cancelled by its caller. It holds no timer, so it needs no disposal.
        public CancellationTokenSource Cancellation { get; } = new();

        public ITimer? Timer { get; set; }

        public int DocumentCount { get; set; }

        public int Live { get; set; }

        public bool Closed { get; set; }
    }

    /// <summary>One request in a group.</summary>
    private sealed class Member(IReadOnlyList<RerankDocument> documents, RerankOptions? options)
    {
        public IReadOnlyList<RerankDocument> Documents { get; } = documents;

        public RerankOptions? Options { get; } = options;

        public TaskCompletionSource<RerankResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
