using JiraConfigGen.Generator.Parsing;

namespace JiraConfigGen.Generator.Tests;

/// <summary>Spec section 4: a nickname's identifier, for ASCII nicknames and others alike.</summary>
public class IdentifierTests
{
    [Theory]
    [InlineData("prod-eu 2", "ProdEu2")]
    [InlineData("Produção", "Produção")]
    [InlineData("production", "Production")]
    [InlineData("2fa", "_2fa")]
    [InlineData("é-x y", "ÉXY")]
    [InlineData("٣ eu", "_٣Eu")] // a digit that is not ASCII also gets the '_'
    [InlineData("---", "")]
    [InlineData("\ud800x", "X")] // a lone surrogate is a separator
    public void NicknamesGiveTheSpecsIdentifiers(string nickname, string identifier) =>
        Assert.Equal(identifier, Identifiers.FromNickname(nickname));

    [Fact]
    public void ANicknameThatIsItsOwnIdentifierIsReused()
    {
        string nickname = new("Production".ToCharArray());
        Assert.Same(nickname, Identifiers.FromNickname(nickname));
        Assert.Equal(new string('N', 300), Identifiers.FromNickname(new string('n', 1) + new string('N', 299)));
    }
}
