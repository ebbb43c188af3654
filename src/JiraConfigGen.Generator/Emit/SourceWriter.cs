using System.Globalization;
using JiraConfigGen.Shared;

namespace JiraConfigGen.Generator.Emit
{
    /// <summary>
    /// Writes C# with indentation into one buffer, and writes values from the file as safe literals and
    /// doc text straight into it (no string per value: a 10,000-connection file emits without churn).
    /// </summary>
    internal sealed class SourceWriter : System.IDisposable
    {
        private readonly CharBuffer _builder;
        private int _indent;

        public SourceWriter() => _builder = new CharBuffer();

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                _builder.Append(' ', _indent * 4);
                _builder.Append(text);
            }

            _builder.Append('\n');
            return this;
        }

        /// <summary>Starts an indented line that the caller continues with the Append methods and ends with <see cref="EndLine"/>.</summary>
        public SourceWriter StartLine()
        {
            _builder.Append(' ', _indent * 4);
            return this;
        }

        public SourceWriter Append(string text)
        {
            _builder.Append(text);
            return this;
        }

        public SourceWriter Append(char value)
        {
            _builder.Append(value);
            return this;
        }

        public SourceWriter Append(int value)
        {
            _builder.Append(value);
            return this;
        }

        public SourceWriter EndLine()
        {
            _builder.Append('\n');
            return this;
        }

        public SourceWriter OpenBrace()
        {
            Line("{");
            _indent++;
            return this;
        }

        public SourceWriter CloseBrace(string suffix = "")
        {
            _indent--;
            Line("}" + suffix);
            return this;
        }

        /// <summary>Writes <c>/// &lt;summary&gt;</c> lines for <paramref name="text"/> (plain text, escaped here), one per line of it.</summary>
        public SourceWriter Summary(string text)
        {
            if (!HasLineBreak(text))
            {
                StartLine().Append("/// <summary>").AppendXmlText(text).Append("</summary>");
                return EndLine();
            }

            Line("/// <summary>");
            foreach (string line in SplitLines(text))
            {
                StartLine().Append("/// ").AppendXmlText(line).EndLine();
            }

            return Line("/// </summary>");
        }

        /// <summary>Writes a doc comment line of trusted XML (the generator's own text).</summary>
        public SourceWriter Doc(string xml) => StartLine().Append("/// ").Append(xml).EndLine();

        /// <summary>
        /// Writes a C# string literal for any string: quotes, backslashes, and every character outside
        /// printable ASCII are escaped (<c>\uXXXX</c>), so line breaks, bidirectional controls and unpaired
        /// surrogates cannot change the meaning or the layout of the generated code.
        /// </summary>
        public SourceWriter AppendStringLiteral(string? value)
        {
            if (value is null)
            {
                _builder.Append("null");
                return this;
            }

            if (_builder.TryAppendPlain(value, quote: '"', '"', '\\'))
            {
                return this;
            }

            _builder.Append('"');
            int run = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if ((uint)(c - 0x20) < 0x5F && c != '"' && c != '\\')
                {
                    continue;
                }

                _builder.Append(value, run, i - run);
                run = i + 1;
                if (c == '"' || c == '\\')
                {
                    _builder.Append('\\');
                    _builder.Append(c);
                }
                else
                {
                    _builder.Append("\\u");
                    _builder.Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
            }

            _builder.Append(value, run, value.Length - run);
            _builder.Append('"');
            return this;
        }

        /// <summary>
        /// Writes text for an XML doc comment's element content: <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>
        /// escaped; characters XML forbids (controls, unpaired surrogates) and those C# reads as line breaks
        /// replaced, so the comment stays well-formed XML on one line.
        /// </summary>
        public SourceWriter AppendXmlText(string value)
        {
            if (_builder.TryAppendPlain(value, quote: '\0', '&', '<', '>'))
            {
                return this;
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                bool pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
                if (c >= 0x7F && !char.IsControl(c) && MessageText.IsInvisible(value, i))
                {
                    // Bidirectional controls and other format characters as references: the doc comment keeps them, but
                    // the generated file's line shows as written, not reversed or hiding text.
                    int code = pair ? char.ConvertToUtf32(c, value[i + 1]) : c;
                    _builder.Append("&#x" + code.ToString("X", CultureInfo.InvariantCulture) + ";");
                    i += pair ? 1 : 0;
                    continue;
                }

                if (pair)
                {
                    _builder.Append(c);
                    _builder.Append(value[i + 1]);
                    i++;
                    continue;
                }

                switch (c)
                {
                    case '&': _builder.Append("&amp;"); break;
                    case '<': _builder.Append("&lt;"); break;
                    case '>': _builder.Append("&gt;"); break;
                    default:
                        if (char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                        {
                            _builder.Append('\uFFFD');
                        }
                        else if (char.IsControl(c))
                        {
                            _builder.Append(' ');
                        }
                        else
                        {
                            _builder.Append(c);
                        }

                        break;
                }
            }

            return this;
        }

        /// <summary>The text as doc-comment content (for callers that compose XML).</summary>
        public static string XmlText(string value)
        {
            using var writer = new SourceWriter();
            return writer.AppendXmlText(value).ToString();
        }

        /// <summary>The text as a C# string literal (for callers that compose code).</summary>
        public static string StringLiteral(string? value)
        {
            using var writer = new SourceWriter();
            return writer.AppendStringLiteral(value).ToString();
        }

        public override string ToString() => _builder.ToString();

        /// <summary>What was written, as source text for the compiler, without a copy into one large string.</summary>
        public Microsoft.CodeAnalysis.Text.SourceText ToSourceText() => _builder.ToSourceText();

        public void Dispose() => _builder.Dispose();

        private static bool HasLineBreak(string text)
        {
            foreach (char c in text)
            {
                if (LineBreaks.Is(c))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Splits on every sequence C# treats as a line break (CR, LF, CRLF, NEL, LS, PS).</summary>
        private static string[] SplitLines(string text) =>
            text.Replace("\r\n", "\n").Split(LineBreaks.All.ToCharArray());
    }
}
