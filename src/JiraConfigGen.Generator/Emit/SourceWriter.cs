using System.Globalization;
using System.Text;

namespace JiraConfigGen.Generator.Emit
{
    /// <summary>Writes C# with indentation, and turns values from the file into safe literals and doc text.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _builder;
        private int _indent;

        public SourceWriter(int capacity = 4096) => _builder = new StringBuilder(capacity);

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                _builder.Append(' ', _indent * 4).Append(text);
            }

            _builder.Append('\n');
            return this;
        }

        /// <summary>Starts an indented line that the caller continues with <see cref="Append(string)"/> and ends with <see cref="EndLine"/>.</summary>
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
            _builder.Append(value.ToString(CultureInfo.InvariantCulture));
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
            string[] lines = SplitLines(text);
            if (lines.Length == 1)
            {
                return Doc("<summary>" + XmlText(text) + "</summary>");
            }

            Line("/// <summary>");
            foreach (string line in lines)
            {
                StartLine().Append("/// ").Append(XmlText(line)).EndLine();
            }

            return Line("/// </summary>");
        }

        /// <summary>Writes a doc comment line of trusted XML (the generator's own text).</summary>
        public SourceWriter Doc(string xml) => StartLine().Append("/// ").Append(xml).EndLine();

        /// <summary>
        /// A C# string literal for any string: quotes, backslashes, and every character outside printable
        /// ASCII are escaped (<c>\uXXXX</c>), so line breaks, bidirectional controls and unpaired surrogates
        /// cannot change the meaning or the layout of the generated code.
        /// </summary>
        public static string StringLiteral(string? value)
        {
            if (value is null)
            {
                return "null";
            }

            var builder = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    default:
                        if (c >= 0x20 && c < 0x7F)
                        {
                            builder.Append(c);
                        }
                        else
                        {
                            builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }

        /// <summary>
        /// Text for an XML doc comment's element content: <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped; characters XML
        /// forbids (controls, unpaired surrogates) and those C# reads as line breaks replaced, so the
        /// comment stays well-formed XML on one line.
        /// </summary>
        public static string XmlText(string value)
        {
            var builder = new StringBuilder(value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(c).Append(value[i + 1]);
                    i++;
                    continue;
                }

                switch (c)
                {
                    case '&': builder.Append("&amp;"); break;
                    case '<': builder.Append("&lt;"); break;
                    case '>': builder.Append("&gt;"); break;
                    default:
                        if (char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                        {
                            builder.Append('\uFFFD');
                        }
                        else if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                        {
                            builder.Append(' ');
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.ToString();
        }

        public override string ToString() => _builder.ToString();

        /// <summary>Splits on every sequence C# treats as a line break (CR, LF, CRLF, NEL, LS, PS).</summary>
        private static string[] SplitLines(string text) =>
            text.Replace("\r\n", "\n").Split('\n', '\r', '\u0085', '\u2028', '\u2029');
    }
}
