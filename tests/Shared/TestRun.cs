namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>
/// What kind of run this is. In CI (<c>CI</c> set to <c>true</c>, <c>1</c> or <c>yes</c>, as CI services set it) or when
/// <c>JCG_REQUIRE_ALL_TESTS=1</c> (which <c>.ci/run</c> exports), nothing may skip and nothing may approve itself: a test
/// that would skip for want of a tool fails instead, and snapshot accept mode is refused.
/// </summary>
public static class TestRun
{
    /// <summary>Whether a missing tool is a failure rather than a reason to skip.</summary>
    public static bool NothingMaySkip =>
        Environment.GetEnvironmentVariable("JCG_REQUIRE_ALL_TESTS") == "1" ||
        Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1" or "yes";
}
