using JiraConfigGen.Generator.Emit;
using JiraConfigGen.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests;

/// <summary>A large generated class reaches the compiler as the emitter's chunks: the same text, read any way.</summary>
public class LargeSourceTextTests
{
    /// <summary>
    /// Chunks that are all ASCII are kept as bytes, the others as characters: a text of both kinds (non-ASCII
    /// doc text in the middle, a surrogate pair among it) reads the same everywhere, across chunk boundaries too.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChunkedSourceTextReadsAsTheEmittedString(bool someNonAscii)
    {
        AccessorSpec[] accessors = Enumerable.Range(0, 3_000)
            .Select(i => new AccessorSpec($"Tenant{i}", $"Tenant {i}", $"bot{i}@contoso.com", $"tenant{i}.atlassian.net", new TokenSpec("env", $"JIRA_{i}"), "basic", Description(i, someNonAscii), false, i % 5, "jira-connections.json", null))
            .ToArray();
        var spec = new GenerationSpec("Contoso", "JiraConnections", "public", accessors.ToEquatableArray(), true, true);

        string expected = ConnectionsEmitter.Emit(spec);
        SourceText text = ConnectionsEmitter.EmitSourceText(spec);

        Assert.True(expected.Length > 3 * 32 * 1024, "the text spans several chunks");
        Assert.Equal(someNonAscii, expected.Any(c => c > 0x7F));
        Assert.Equal(expected.Length, text.Length);
        Assert.Equal(expected, text.ToString());
        var random = new Random(3);
        for (int i = 0; i < 2_000; i++)
        {
            int start = random.Next(expected.Length);
            int count = random.Next(Math.Min(70_000, expected.Length - start) + 1);
            char[] destination = new char[count + 2];
            text.CopyTo(start, destination, 1, count);
            Assert.Equal(expected.Substring(start, count), new string(destination, 1, count));
            Assert.Equal(expected[start], text[start]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => text[expected.Length]);
        Assert.Throws<ArgumentOutOfRangeException>(() => text.CopyTo(expected.Length - 1, new char[2], 0, 2));
        // Spans that cross the text's chunks give the same text as the string does.
        foreach (int start in new[] { 0, 40_000 - 3, (expected.Length / 2) - 1, expected.Length - 5 })
        {
            var span = new TextSpan(start, Math.Min(81_920 + 7, expected.Length - start));
            Assert.Equal(expected.Substring(span.Start, span.Length), text.ToString(span));
        }

        Assert.Empty(CSharpSyntaxTree.ParseText(text).GetDiagnostics());
        Assert.Equal(Convert.ToHexString([.. SourceText.From(new StringReader(expected), expected.Length, System.Text.Encoding.UTF8).GetChecksum()]), Convert.ToHexString([.. text.GetChecksum()]));
    }

    private static string? Description(int i, bool someNonAscii) =>
        i % 2 == 0 ? null
        : someNonAscii && i is > 1_000 and < 1_300 ? $"Équipe {i} – Zürich 😀"
        : $"Tenant <{i}> & co";
}
