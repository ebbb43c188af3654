using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests.Infrastructure;

/// <summary>A diagnostic a test expects: ID, file, and 1-based line and column as the build prints them.</summary>
public sealed record ExpectedDiagnostic(string Id, string Path, int Line, int Column, int Length)
{
    public override string ToString() => $"{Path}({Line},{Column}): {Id} [{Length}]";
}

/// <summary>
/// Test files mark where a diagnostic is expected as <c>⟦JCG003:"https://x"⟧</c>: the marked text is
/// the span the diagnostic must cover. <see cref="Parse"/> strips the marks and computes the line and
/// column each one is at, so a case reads like the file it tests.
/// </summary>
public static class Markup
{
    private const char Open = '⟦';
    private const char Close = '⟧';

    public static (string Text, IReadOnlyList<ExpectedDiagnostic> Expected) Parse(string path, string markup)
    {
        var text = new System.Text.StringBuilder(markup.Length);
        var spans = new List<(string Id, int Start, int End)>();
        var open = new Stack<(string Id, int Start)>();
        for (int i = 0; i < markup.Length; i++)
        {
            char c = markup[i];
            if (c == Open)
            {
                int colon = markup.IndexOf(':', i);
                open.Push((markup.Substring(i + 1, colon - i - 1), text.Length));
                i = colon;
            }
            else if (c == Close)
            {
                (string id, int start) = open.Pop();
                spans.Add((id, start, text.Length));
            }
            else
            {
                text.Append(c);
            }
        }

        if (open.Count > 0)
        {
            throw new ArgumentException($"Unclosed {Open} in test markup", nameof(markup));
        }

        string clean = text.ToString();
        SourceText source = SourceText.From(clean);
        var expected = spans
            .Select(s =>
            {
                LinePosition position = source.Lines.GetLinePosition(s.Start);
                return new ExpectedDiagnostic(s.Id, path, position.Line + 1, position.Character + 1, s.End - s.Start);
            })
            .OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        return (clean, expected);
    }
}
