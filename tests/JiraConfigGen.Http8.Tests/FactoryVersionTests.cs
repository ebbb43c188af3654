using Microsoft.Extensions.Http;

namespace JiraConfigGen.Http8.Tests;

/// <summary>This project is only worth its name if the client factory it loads is the 8.x one.</summary>
public class FactoryVersionTests
{
    [Fact]
    public void TheClientFactoryLoadedIsMicrosoftExtensionsHttp8()
    {
        Version? version = typeof(HttpClientFactoryOptions).Assembly.GetName().Version;

        Assert.Equal(8, version?.Major);
    }
}
