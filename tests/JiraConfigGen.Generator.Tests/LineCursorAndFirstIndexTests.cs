using JiraConfigGen.Generator.Parsing;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests;

/// <summary>The two structures that keep reading a large file linear: both against the reference they replace.</summary>
public class LineCursorAndFirstIndexTests
{
    private static readonly string[] Pieces = ["a", "bc", " ", "\r\n", "\r", "\n", "\u0085", "\u2028", "\u2029", "\n\r", "\r\r\n", "é", "\t"];

    [Fact]
    public void LineCursorAgreesWithTheCompilersLinesForwardAndBackward()
    {
        var random = new Random(20261129);
        int checks = 0;
        for (int round = 0; round < 500; round++)
        {
            string text = string.Concat(Enumerable.Range(0, random.Next(0, 60)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            SourceText source = SourceText.From(text);
            var cursor = new LineCursor(source, (text + "\n\r\u2028").ToCharArray(), text.Length); // what follows the text is not read

            // Mostly forward, as the reader asks; sometimes back, sometimes the same place twice.
            int position = 0;
            for (int step = 0; step < 40; step++)
            {
                position = random.Next(4) switch
                {
                    0 => random.Next(text.Length + 1),
                    1 => position,
                    _ => Math.Min(text.Length, position + random.Next(0, 6)),
                };
                Assert.True(source.Lines.GetLinePosition(position) == cursor.PositionOf(position), $"position {position} of {Escape(text)}");
                checks++;
            }
        }

        Assert.Equal(500 * 40, checks);
    }

    [Fact]
    public void FirstIndexKeepsTheFirstValueOfEachKeyAsADictionaryWould()
    {
        var random = new Random(7);
        foreach (StringComparer comparer in new[] { StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase })
        {
            var index = new FirstIndex<string>(comparer, capacity: 3); // grows past its capacity and segments
            var reference = new Dictionary<string, string>(comparer);
            for (int i = 0; i < 20_000; i++)
            {
                string key = (random.Next(2) == 0 ? "key" : "KEY") + random.Next(6_000);
                string value = "value" + i;
                reference.TryGetValue(key, out string? expected);
                reference.TryAdd(key, value);
                Assert.Equal(expected, index.FirstOrAdd(key, value));
                Assert.Equal(reference[key], index.Find(key));
            }

            Assert.Equal(reference.Values, index.Values); // in the order they were added
            Assert.Null(index.Find("absent"));
        }
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
