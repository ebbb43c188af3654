namespace JiraConfigGen.Package.Tests;

/// <summary>
/// One fresh consumer project that references only the JiraConfigGen package of the <see cref="Feed"/> (no
/// AdditionalFiles item of its own), restored once and built by every test.
/// </summary>
public sealed class ConsumerFixture : IDisposable
{
    public ConsumerFixture()
    {
        Feed feed = Feed.Instance;
        Root = System.IO.Directory.CreateTempSubdirectory("jcg-e2e-").FullName;
        ProjectDirectory = Path.Combine(Root, "Consumer");
        System.IO.Directory.CreateDirectory(ProjectDirectory);
        Version = feed.Version;
        Pack = feed.Pack;
        Package = feed.Package;
        PackRedis = feed.PackRedis;
        RedisPackage = feed.RedisPackage;

        // Stop MSBuild and NuGet from looking above the consumer for settings of their own.
        DotNet.IsolateProjectsIn(ProjectDirectory);
        Write("Consumer.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RootNamespace>Consumer</RootNamespace>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="JiraConfigGen" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        // Written in C# 7.3, so that the LangVersion 7.3 build compiles the same program.
        Write("Program.cs", """
            using System;
            using JiraConfigGen;

            namespace Consumer
            {
                internal static class Program
                {
                    private static int Main()
                    {
                        foreach (JiraConnection connection in JiraConnections.All)
                        {
                            Console.WriteLine(connection.Nickname + " -> " + connection.BaseAddress + " (" + connection.ApiToken + ")");
                        }

                        if (JiraConnections.TryGet(" production ", out var production))
                        {
                            Console.WriteLine("TryGet found " + production);
                        }

                        return 0;
                    }
                }
            }
            """);
        Restore = DotNet.Run(ProjectDirectory, "restore");
        Assert.True(Restore.ExitCode == 0, Restore.ToString());
    }

    public string Root { get; }

    public string ProjectDirectory { get; }

    public string Version { get; }

    public string Package { get; }

    public CommandResult Pack { get; }

    /// <summary>JiraConfigGen.Redis, packed with the same version.</summary>
    public string RedisPackage { get; }

    public CommandResult PackRedis { get; }

    public CommandResult Restore { get; }

    public void Write(string relativePath, string content)
    {
        string path = Path.Combine(ProjectDirectory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Delete(string relativePath) => File.Delete(Path.Combine(ProjectDirectory, relativePath));

    /// <summary>`dotnet build` of the consumer with MSBuild properties.</summary>
    public CommandResult Build(params string[] properties) =>
        DotNet.Run(ProjectDirectory, ["build", "--no-restore", "-nologo", "-clp:NoSummary;ErrorsOnly;WarningsOnly", .. properties.Select(p => "-p:" + p)]);

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);
}
