namespace JiraConfigGen.Tests;

/// <summary>
/// The in-memory store's queue of waiting callers: first come, first served, and one caller woken per freed place
/// (a completion hands its place to the next caller that can take it; the others stay asleep).
/// </summary>
public class GuardStoreQueueTests
{
    private static readonly JiraAccount Account = new("jira.example.com", "bot@contoso.test");
    private static readonly JiraGuardPolicy Safe = new(3, 0); // two requests with a proven token in flight

    [Fact]
    public async Task EachFreedPlaceGoesToTheNextWaitingCallerInOrder()
    {
        IJiraGuardAccount account = await ProvenAsync("good");
        JiraAdmission first = await AdmitAsync(account, "good");
        JiraAdmission second = await AdmitAsync(account, "good");
        JiraAdmission[] queued = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => account.TryAdmitAsync("good", Safe, CancellationToken.None).AsTask()));
        Assert.All(queued, q => Assert.Equal(JiraAdmissionDecision.Wait, q.Decision));
        Task<JiraAdmission>[] turns = queued.Select(q => account.WaitAsync(q, CancellationToken.None).AsTask()).ToArray();

        await account.CompleteAsync(first, JiraAttemptOutcome.Authenticated, Safe, CancellationToken.None);
        JiraAdmission one = await turns[0];
        Assert.False(turns[1].IsCompleted || turns[2].IsCompleted); // one place freed, one caller woken

        await account.CompleteAsync(second, JiraAttemptOutcome.Authenticated, Safe, CancellationToken.None);
        JiraAdmission two = await turns[1];
        Assert.False(turns[2].IsCompleted);

        Assert.Equal((JiraAdmissionDecision.Proceed, JiraAdmissionDecision.Proceed), (one.Decision, two.Decision));
        Assert.True(one.Ticket < two.Ticket);
        Assert.Equal(2, (await account.GetStatusAsync(CancellationToken.None)).InFlight);

        await account.CompleteAsync(one, JiraAttemptOutcome.Authenticated, Safe, CancellationToken.None);
        Assert.Equal(JiraAdmissionDecision.Proceed, (await turns[2]).Decision);
    }

    [Fact]
    public async Task ANewCallerDoesNotOvertakeTheQueue()
    {
        IJiraGuardAccount account = await ProvenAsync("good");
        JiraAdmission first = await AdmitAsync(account, "good");
        await AdmitAsync(account, "good");
        Task<JiraAdmission> turn = await QueueAsync(account, "good");

        await account.CompleteAsync(first, JiraAttemptOutcome.Authenticated, Safe, CancellationToken.None);
        JiraAdmission late = await account.TryAdmitAsync("good", Safe, CancellationToken.None);

        Assert.Equal(JiraAdmissionDecision.Proceed, (await turn).Decision); // the freed place went to the caller in line
        Assert.Equal(JiraAdmissionDecision.Wait, late.Decision);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => account.WaitAsync(late, new CancellationToken(canceled: true)).AsTask());
    }

    [Fact]
    public async Task CallersWaitingOnATokenThatFailsAreRefusedTheOthersKeepTheirPlaces()
    {
        IJiraGuardAccount account = await ProvenAsync("good");
        JiraAdmission probe = await AdmitAsync(account, "stale"); // an unproven token: its single probe
        Assert.True(probe.IsProbe);
        Task<JiraAdmission> staleTurn = await QueueAsync(account, "stale");
        JiraAdmission good = await AdmitAsync(account, "good");
        Task<JiraAdmission> goodTurn = await QueueAsync(account, "good"); // safe mode: 1 + 1 in flight is the bound

        await account.CompleteAsync(probe, JiraAttemptOutcome.Rejected, Safe, CancellationToken.None);

        JiraAdmission refused = await staleTurn;
        Assert.Equal((JiraAdmissionDecision.Refuse, JiraLockoutReason.TokenRejected), (refused.Decision, refused.Reason));
        Assert.False(goodTurn.IsCompleted); // one failure counted: the bound is now one in flight, and one is
        await account.CompleteAsync(good, JiraAttemptOutcome.Authenticated, Safe, CancellationToken.None);
        Assert.Equal(JiraAdmissionDecision.Proceed, (await goodTurn).Decision);
    }

    [Fact]
    public async Task ACallerThatGivesUpLeavesTheQueueAndATurnThatCameFirstIsReturned()
    {
        IJiraGuardAccount account = await ProvenAsync("good");
        JiraAdmission first = await AdmitAsync(account, "good");
        await AdmitAsync(account, "good");
        using var giveUp = new CancellationTokenSource();
        Task<JiraAdmission> leavingTurn = await QueueAsync(account, "good", giveUp.Token);
        Task<JiraAdmission> stayingTurn = await QueueAsync(account, "good");

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leavingTurn);
        await account.CompleteAsync(first, JiraAttemptOutcome.Authenticated, Safe, CancellationToken.None);

        Assert.Equal(JiraAdmissionDecision.Proceed, (await stayingTurn).Decision); // the place went past the caller who left
        Assert.Equal(2, (await account.GetStatusAsync(CancellationToken.None)).InFlight);
    }

    private static async Task<IJiraGuardAccount> ProvenAsync(string token)
    {
        IJiraGuardAccount account = new InMemoryJiraGuardStore().GetAccount(Account);
        JiraAdmission probe = await AdmitAsync(account, token);
        await account.CompleteAsync(probe, JiraAttemptOutcome.Authenticated, Safe, CancellationToken.None);
        return account;
    }

    /// <summary>Asks for a place, is told to wait, and waits: the caller's turn.</summary>
    private static async Task<Task<JiraAdmission>> QueueAsync(IJiraGuardAccount account, string token, CancellationToken giveUp = default)
    {
        JiraAdmission waiting = await account.TryAdmitAsync(token, Safe, CancellationToken.None);
        Assert.Equal(JiraAdmissionDecision.Wait, waiting.Decision);
        return account.WaitAsync(waiting, giveUp).AsTask();
    }

    private static async Task<JiraAdmission> AdmitAsync(IJiraGuardAccount account, string token)
    {
        JiraAdmission admission = await account.TryAdmitAsync(token, Safe, CancellationToken.None);
        Assert.Equal(JiraAdmissionDecision.Proceed, admission.Decision);
        return admission;
    }
}
