using System;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>
    /// Lines and columns of the spans diagnostics are reported at (parsed values carry their own, counted
    /// by the parser), asked for in reading order, with the compiler's rules for line breaks (<c>\r\n</c>,
    /// <c>\r</c>, <c>\n</c>, U+0085, U+2028, U+2029), so the build prints the same place as the IDE. Moving
    /// forward scans only the text in between (vectorised); only a position before the current line falls
    /// back to <see cref="SourceText.Lines"/>, which indexes the whole text (for a 10,000-connection file,
    /// that index cost more than reading the connections).
    /// </summary>
    internal sealed class LineCursor
    {
        private readonly SourceText _text;
        private readonly char[] _chars;
        private readonly int _length;
        private int _line;
        private int _lineStart;

        // Everything in [_lineStart, _scanned) is on line _line.
        private int _scanned;

        /// <param name="text">The text, for positions behind the cursor.</param>
        /// <param name="chars">The same text, in its first <paramref name="length"/> characters.</param>
        /// <param name="length">The length of the text.</param>
        public LineCursor(SourceText text, char[] chars, int length)
        {
            _text = text;
            _chars = chars;
            _length = length;
        }

        public LinePosition PositionOf(int position)
        {
            if (position < _lineStart)
            {
                return _text.Lines.GetLinePosition(position);
            }

            while (_scanned < position)
            {
                int found = _chars.AsSpan(_scanned, position - _scanned).IndexOfAny(LineBreaks.All.AsSpan());
                if (found < 0)
                {
                    _scanned = position;
                    break;
                }

                int at = _scanned + found;
                int end = LineBreaks.End(_chars, at, _length);
                if (end > position)
                {
                    // The position is the '\n' of a "\r\n": still on this line.
                    _scanned = at;
                    break;
                }

                _line++;
                _lineStart = end;
                _scanned = end;
            }

            return new LinePosition(_line, position - _lineStart);
        }
    }
}
