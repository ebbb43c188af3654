using System.Reflection;

namespace JiraConfigGen.Package.Tests;

/// <summary>
/// The repository's packages (JiraConfigGen, JiraConfigGen.Redis and the JiraConfigGen.Cli tool), packed once
/// with one fresh version into a temporary feed, as a release would publish them. Every test of this
/// assembly uses the same feed; the tests run one class at a time (<see cref="PackagesCollection"/>), so
/// no two `dotnet` commands of theirs build the same project at once.
/// </summary>
public sealed class Feed : IDisposable
{
    private static readonly Lazy<Feed> Packed = new(() => new Feed(), LazyThreadSafetyMode.ExecutionAndPublication);

    private Feed()
    {
        Repository = RepositoryRoot;
        Root = System.IO.Directory.CreateTempSubdirectory("jcg-feed-").FullName;
        Directory = Path.Combine(Root, "feed");
        Version = $"1.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(1000, 9999)}";

        Pack = PackProject("src/JiraConfigGen/JiraConfigGen.csproj");
        PackRedis = PackProject("src/JiraConfigGen.Redis/JiraConfigGen.Redis.csproj");
        PackCli = PackProject("src/JiraConfigGen.Cli/JiraConfigGen.Cli.csproj");
    }

    /// <summary>The repository under test (its root).</summary>
    public static string RepositoryRoot { get; } = typeof(Feed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The feed, packed on first use.</summary>
    public static Feed Instance => Packed.Value;

    public string Repository { get; }

    public string Root { get; }

    /// <summary>The folder that holds the .nupkg files: a NuGet source.</summary>
    public string Directory { get; }

    public string Version { get; }

    public CommandResult Pack { get; }

    public CommandResult PackRedis { get; }

    public CommandResult PackCli { get; }

    public string Package => Path.Combine(Directory, $"JiraConfigGen.{Version}.nupkg");

    public string RedisPackage => Path.Combine(Directory, $"JiraConfigGen.Redis.{Version}.nupkg");

    public string CliPackage => Path.Combine(Directory, $"JiraConfigGen.Cli.{Version}.nupkg");

    /// <summary>A nuget.config that adds the feed to the machine's sources.</summary>
    public string NuGetConfig => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="e2e" value="{Directory}" />
          </packageSources>
        </configuration>
        """;

    /// <summary>Deletes the feed and what restores and installs cached of its version.</summary>
    internal static void CleanUp()
    {
        if (Packed.IsValueCreated)
        {
            Packed.Value.Dispose();
        }
    }

    public void Dispose()
    {
        System.IO.Directory.Delete(Root, recursive: true);
        string cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string id in new[] { "jiraconfiggen", "jiraconfiggen.redis", "jiraconfiggen.cli" })
        {
            string cached = Path.Combine(cache, id, Version.ToLowerInvariant());
            if (System.IO.Directory.Exists(cached))
            {
                System.IO.Directory.Delete(cached, recursive: true);
            }
        }
    }

    private CommandResult PackProject(string project)
    {
        CommandResult pack = DotNet.Run(Repository, "pack", project, "-c", "Release", "-o", Directory, $"-p:Version={Version}");
        Assert.True(pack.ExitCode == 0, pack.ToString());
        return pack;
    }
}

/// <summary>The tests that run `dotnet` on the packages: one class at a time, over one <see cref="Feed"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackagesCollection.Cleanup>
{
    public const string Name = "Packages";

    /// <summary>Deletes the feed when the collection is done.</summary>
    public sealed class Cleanup : IDisposable
    {
        public void Dispose() => Feed.CleanUp();
    }
}
