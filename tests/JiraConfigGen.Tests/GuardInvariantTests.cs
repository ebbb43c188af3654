using Microsoft.Extensions.Configuration;

namespace JiraConfigGen.Tests;

/// <summary>
/// The guard's invariant under many random schedules: with default options, whatever the concurrency and
/// whenever tokens are revoked or rotated (to good or bad ones), Jira never sees a fourth consecutive
/// failure. Jira is simulated in-process here (thousands of interleavings in seconds); the S1-S7
/// scenarios check the same through real HTTP.
/// </summary>
public class GuardInvariantTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string User = "bot@contoso.test";

    [Fact]
    public async Task NoScheduleOfRevocationsAndRotationsLetsJiraSeeAFourthFailure()
    {
        int worstRun = 0;
        int totalFailures = 0;
        for (int seed = 1; seed <= 150; seed++)
        {
            var random = new Random(seed);
            var jira = new SimulatedJira(random);
            string token = jira.Issue();
            IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
            var connections = new[]
            {
                new JiraConnection("A", User, "jira.example.com", JiraSecretReference.Configuration("Jira:A")),
                new JiraConnection("B", User, "jira.example.com", JiraSecretReference.Configuration("Jira:B")),
            };
            configuration["Jira:A"] = token;
            configuration["Jira:B"] = random.Next(3) == 0 ? "stale-" + seed : token;
            using var factory = new JiraClientFactory(new JiraSecretResolver(configuration), new JiraLockoutGuard(), jira);
            HttpClient[] clients = connections.Select(factory.CreateClient).ToArray();

            int[] startDelays = Enumerable.Range(0, 120).Select(_ => random.Next(0, 20)).ToArray();
            Task<int>[] callers = Enumerable.Range(0, 120).Select(i => Task.Run(async () =>
            {
                await Task.Delay(startDelays[i]);
                try
                {
                    using HttpResponseMessage response = await clients[i % 2].GetAsync("rest/api/2/myself");
                    return 1;
                }
                catch (HttpRequestException)
                {
                    return 0;
                }
            })).ToArray();

            // An operator and a credential manager at work during the storm.
            for (int change = 0; change < 6; change++)
            {
                await Task.Delay(random.Next(0, 6));
                switch (random.Next(4))
                {
                    case 0:
                        jira.RevokeAll();
                        break;
                    case 1:
                        configuration["Jira:A"] = jira.Issue();
                        break;
                    case 2:
                        configuration[random.Next(2) == 0 ? "Jira:A" : "Jira:B"] = "wrong-" + random.Next();
                        break;
                    default:
                        configuration["Jira:B"] = configuration["Jira:A"];
                        break;
                }
            }

            await Task.WhenAll(callers);
            Assert.False(jira.IsLocked, $"seed {seed}: Jira locked the account");
            Assert.InRange(jira.MaxConsecutiveFailures, 0, 3);
            worstRun = Math.Max(worstRun, jira.MaxConsecutiveFailures);
            totalFailures += jira.Failures;
        }

        output.WriteLine($"150 schedules: at most {worstRun} consecutive failures in any; {totalFailures} failures in all");
        Assert.Equal(3, worstRun); // the schedules do push the guard to its budget
    }

    /// <summary>Jira's login counter: consecutive failures in the order Jira processes them; the fourth locks.</summary>
    private sealed class SimulatedJira(Random random) : HttpMessageHandler
    {
        private readonly object _gate = new();
        private readonly HashSet<string> _valid = [];
        private int _consecutive;

        public bool IsLocked { get; private set; }

        public int MaxConsecutiveFailures { get; private set; }

        public int Failures { get; private set; }

        public string Issue()
        {
            lock (_gate)
            {
                string token = "valid-" + random.Next();
                _valid.Add(token);
                return token;
            }
        }

        public void RevokeAll()
        {
            lock (_gate)
            {
                _valid.Clear();
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int before, after;
            lock (_gate)
            {
                (before, after) = (random.Next(0, 4), random.Next(0, 4));
            }

            await Task.Delay(before, cancellationToken);
            string token = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization!.Parameter!)).Split(':', 2)[1];
            HttpResponseMessage response;
            lock (_gate)
            {
                if (IsLocked)
                {
                    response = new HttpResponseMessage(System.Net.HttpStatusCode.Forbidden);
                    response.Headers.Add("X-Seraph-LoginReason", "AUTHENTICATION_DENIED");
                }
                else if (_valid.Contains(token))
                {
                    _consecutive = 0;
                    response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
                }
                else
                {
                    Failures++;
                    _consecutive++;
                    MaxConsecutiveFailures = Math.Max(MaxConsecutiveFailures, _consecutive);
                    IsLocked = _consecutive >= 4;
                    response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
                    response.Headers.Add("X-Seraph-LoginReason", "AUTHENTICATED_FAILED");
                }
            }

            await Task.Delay(after, cancellationToken);
            return response;
        }
    }
}
