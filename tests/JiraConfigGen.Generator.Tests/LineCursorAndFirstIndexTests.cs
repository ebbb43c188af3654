using System.Text;
using JiraConfigGen.Generator.Json;
using JiraConfigGen.Generator.Parsing;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests;

/// <summary>The structures that keep reading a large file linear, against the references they replace.</summary>
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

    /// <summary>
    /// The parser counts lines as it goes: every value on the tape has the lines and columns the compiler's
    /// line table gives its span, with line breaks of every kind in whitespace, comments and strings, and in
    /// files cut off anywhere (containers left open end where the parser stopped).
    /// </summary>
    [Fact]
    public void ParsedValuesHaveTheCompilersLinesAndColumns()
    {
        string[] trivia = [" ", "\t", "\n", "\r\n", "\r", "\n\r", "// note\u0085more\n", "/* a\r\nb\u2028c\rd\u0085e\u2029 */", "/**/"];
        string[] strings = ["\"plain\"", "\"é\u2028x\"", "\"a\u0085b\u2029\"", "\"esc\\n\\u00e9\\\"\"", "\"\""];
        var random = new Random(20261129);
        int values = 0;
        for (int round = 0; round < 600; round++)
        {
            var json = new StringBuilder();
            WriteValue(json, depth: 0);
            string full = json.ToString();
            foreach (string text in new[] { full, full.Substring(0, random.Next(full.Length + 1)) })
            {
                SourceText source = SourceText.From(text);
                using JsonParseResult parsed = JsonParser.Parse(source);
                values += Check(parsed.Root, source, text);
            }
        }

        Assert.True(values > 15_000, $"only {values} values were checked");

        void WriteValue(StringBuilder json, int depth)
        {
            json.Append(trivia[random.Next(trivia.Length)]);
            switch (depth > 3 ? random.Next(3) : depth < 2 ? 3 + random.Next(2) : random.Next(5))
            {
                case 0: json.Append(strings[random.Next(strings.Length)]); break;
                case 1: json.Append(random.Next(2) == 0 ? "12.5e3" : "true"); break;
                case 2: json.Append("null"); break;
                case 3:
                    json.Append('{');
                    for (int i = random.Next(6); i > 0; i--)
                    {
                        json.Append(trivia[random.Next(trivia.Length)]).Append(strings[random.Next(strings.Length)]).Append(trivia[random.Next(trivia.Length)]).Append(':');
                        WriteValue(json, depth + 1);
                        json.Append(i > 1 ? "," : string.Empty);
                    }

                    json.Append(trivia[random.Next(trivia.Length)]).Append('}');
                    break;
                default:
                    json.Append('[');
                    for (int i = random.Next(6); i > 0; i--)
                    {
                        WriteValue(json, depth + 1);
                        json.Append(i > 1 ? "," : string.Empty);
                    }

                    json.Append(trivia[random.Next(trivia.Length)]).Append(']');
                    break;
            }

            json.Append(trivia[random.Next(trivia.Length)]);
        }

        static int Check(JsonValue value, SourceText source, string text)
        {
            if (!value.IsPresent)
            {
                return 0;
            }

            Assert.True(source.Lines.GetLinePositionSpan(value.Span) == value.LineSpan, $"{value.Kind} at {value.Span} of {Escape(text)}");
            int checkedValues = 1;
            foreach (JsonProperty property in value.Properties)
            {
                checkedValues += Check(property.Value, source, text);
            }

            foreach (JsonValue item in value.Items)
            {
                checkedValues += Check(item, source, text);
            }

            return checkedValues;
        }
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

            Assert.Equal(reference, index.Entries); // in the order they were added
            Assert.Null(index.Find("absent"));

            // Its arrays go back to the pools, cleared: the next index (which may get them) starts empty.
            index.Dispose();
            using var next = new FirstIndex<string>(comparer, capacity: 6_000);
            Assert.All(reference.Keys.Take(500), key => Assert.Null(next.Find(key)));
            Assert.Null(next.FirstOrAdd("key1", "fresh"));
            Assert.Equal("fresh", next.Find("key1"));
        }
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
