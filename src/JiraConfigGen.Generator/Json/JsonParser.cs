using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using JiraConfigGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using D = JiraConfigGen.Generator.DiagnosticDescriptors;

namespace JiraConfigGen.Generator.Json
{
    /// <summary>The first syntax error in a file: where, and what is wrong (a JCG001 sentence and its values).</summary>
    internal sealed record JsonSyntaxError(TextSpan Span, DiagnosticDescriptor Descriptor, string[] Args);

    /// <summary>
    /// The root value (possibly partial when <see cref="Error"/> is set: containers the error fell
    /// inside are marked incomplete, everything before it is kept) and the first syntax error. Dispose
    /// it to give the tape's memory back.
    /// </summary>
    internal sealed class JsonParseResult : IDisposable
    {
        private readonly JsonTape _tape;

        public JsonParseResult(JsonTape tape, JsonSyntaxError? error)
        {
            _tape = tape;
            Error = error;
        }

        /// <summary>The root value; not present when the file holds none.</summary>
        public JsonValue Root => _tape.Count > 0 ? new JsonValue(_tape, 0) : default;

        public JsonSyntaxError? Error { get; }

        /// <summary>The text that was parsed (its first <see cref="Length"/> characters), valid until the result is disposed.</summary>
        public char[] Chars => _tape.Chars;

        public int Length => _tape.Length;

        public void Dispose() => _tape.Dispose();
    }

    /// <summary>
    /// A small JSON reader that keeps the position of every value. It accepts what appsettings.json
    /// accepts beyond RFC 8259 (<c>//</c> and <c>/* */</c> comments, trailing commas, a leading BOM),
    /// stops at the first error, and never throws: nesting is capped at <see cref="MaxDepth"/>
    /// levels, so no input can exhaust the stack. It writes a flat <see cref="JsonTape"/> and leaves
    /// strings in the text, so a file of 10,000 connections parses with almost no allocation.
    /// </summary>
    internal sealed class JsonParser
    {
        /// <summary>The deepest nesting accepted (System.Text.Json's default too); a connections file needs 4.</summary>
        public const int MaxDepth = 64;

        private readonly char[] _text;
        private readonly int _length;
        private readonly JsonTape _tape;
        private readonly CancellationToken _cancellationToken;
        private int _pos;
        private JsonSyntaxError? _error;

        // The line of _pos and where it starts, kept as the parser moves (with the compiler's line breaks:
        // CR, LF, CRLF, U+0085, U+2028, U+2029), so every value on the tape knows its line and column.
        private int _line;
        private int _lineStart;

        private JsonParser(SourceText text, CancellationToken cancellationToken)
        {
            _cancellationToken = cancellationToken;
            _tape = new JsonTape(text);
            _text = _tape.Chars;
            _length = _tape.Length;
        }

        public static JsonParseResult Parse(SourceText text, CancellationToken cancellationToken = default)
        {
            var parser = new JsonParser(text, cancellationToken);
            try
            {
                return parser.ParseDocument();
            }
            catch
            {
                parser._tape.Dispose();
                throw;
            }
        }

        private JsonParseResult ParseDocument()
        {
            if (_length > 0 && _text[0] == '\uFEFF')
            {
                _pos = 1;
            }

            if (!SkipTrivia())
            {
                return new JsonParseResult(_tape, _error);
            }

            if (_pos >= _length)
            {
                return new JsonParseResult(_tape, new JsonSyntaxError(new TextSpan(_pos, 0), D.EmptyFile, Array.Empty<string>()));
            }

            ParseValue(depth: 1);
            if (_error is null && SkipTrivia() && _pos < _length)
            {
                Fail(_pos, 1, D.TextAfterRoot, Describe(_pos));
            }

            return new JsonParseResult(_tape, _error);
        }

        /// <summary>Parses one value onto the tape; false (and nothing added) when it is malformed before it starts a container.</summary>
        private bool ParseValue(int depth)
        {
            if (_pos >= _length)
            {
                Fail(_pos, 0, D.EndWhereValueExpected);
                return false;
            }

            char c = _text[_pos];
            switch (c)
            {
                case '{':
                case '[':
                    if (depth > MaxDepth)
                    {
                        Fail(_pos, 1, D.NestedTooDeep, MaxDepth.ToString(CultureInfo.InvariantCulture));
                        return false;
                    }

                    if (c == '{')
                    {
                        ParseObject(depth);
                    }
                    else
                    {
                        ParseArray(depth);
                    }

                    return true;
                case '"':
                    return ParseString(JsonKind.String);
                case 't':
                    return ParseLiteral("true", JsonKind.True);
                case 'f':
                    return ParseLiteral("false", JsonKind.False);
                case 'n':
                    return ParseLiteral("null", JsonKind.Null);
                case '\'':
                    Fail(_pos, 1, D.SingleQuotedString);
                    return false;
                default:
                    if (c == '-' || IsDigit(c))
                    {
                        return ParseNumber();
                    }

                    Fail(_pos, 1, D.InvalidJson, Describe(_pos));
                    return false;
            }
        }

        private void ParseObject(int depth)
        {
            int obj = _tape.Add(JsonKind.Object, _pos, 1, _line, _lineStart);
            _pos++; // '{'
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!SkipTrivia())
                {
                    Incomplete(obj);
                    return;
                }

                if (_pos >= _length)
                {
                    Fail(_pos, 0, D.EndInsideObject);
                    Incomplete(obj);
                    return;
                }

                if (_text[_pos] == '}')
                {
                    _pos++;
                    Close(obj);
                    return;
                }

                if (_text[_pos] != '"')
                {
                    if (_text[_pos] == '\'')
                    {
                        Fail(_pos, 1, D.SingleQuotedName);
                    }
                    else
                    {
                        Fail(_pos, 1, D.PropertyNameExpected, Describe(_pos));
                    }

                    Incomplete(obj);
                    return;
                }

                int name = _tape.Count;
                if (!ParseString(JsonKind.PropertyName))
                {
                    Incomplete(obj);
                    return;
                }

                if (!SkipTrivia())
                {
                    _tape.Truncate(name);
                    Incomplete(obj);
                    return;
                }

                if (_pos >= _length || _text[_pos] != ':')
                {
                    Fail(_pos, _pos < _length ? 1 : 0, D.ColonExpected, Shorten(_tape.Decode(name)), Describe(_pos));
                    _tape.Truncate(name);
                    Incomplete(obj);
                    return;
                }

                _pos++; // ':'
                if (!SkipTrivia() || !ParseValue(depth + 1))
                {
                    // A property without a value is left out; a container it started stays, marked partial.
                    _tape.Truncate(name);
                    Incomplete(obj);
                    return;
                }

                _tape[name].Next = _tape.Count;
                _tape[obj].Count++;
                if (_error is not null || !SkipTrivia())
                {
                    Incomplete(obj);
                    return;
                }

                if (_pos < _length && _text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }

                if (_pos < _length && _text[_pos] == '}')
                {
                    continue; // closed at the top of the loop
                }

                Fail(_pos, _pos < _length ? 1 : 0, D.CommaOrBraceExpected, Shorten(_tape.Decode(name)), Describe(_pos));
                Incomplete(obj);
                return;
            }
        }

        private void ParseArray(int depth)
        {
            int array = _tape.Add(JsonKind.Array, _pos, 1, _line, _lineStart);
            _pos++; // '['
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!SkipTrivia())
                {
                    Incomplete(array);
                    return;
                }

                if (_pos >= _length)
                {
                    Fail(_pos, 0, D.EndInsideArray);
                    Incomplete(array);
                    return;
                }

                if (_text[_pos] == ']')
                {
                    _pos++;
                    Close(array);
                    return;
                }

                if (!ParseValue(depth + 1))
                {
                    Incomplete(array);
                    return;
                }

                _tape[array].Count++;
                if (_error is not null || !SkipTrivia())
                {
                    Incomplete(array);
                    return;
                }

                if (_pos < _length && _text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }

                if (_pos < _length && _text[_pos] == ']')
                {
                    continue;
                }

                Fail(_pos, _pos < _length ? 1 : 0, D.CommaOrBracketExpected, Describe(_pos));
                Incomplete(array);
                return;
            }
        }

        private void Close(int container)
        {
            ref JsonTape.Entry entry = ref _tape[container];
            entry.Length = _pos - entry.Start;
            entry.Next = _tape.Count;
            entry.EndLine = _line;
            entry.EndLineStart = _lineStart;
        }

        private void Incomplete(int container)
        {
            Close(container);
            _tape[container].Complete = false;
        }

        /// <summary>Reads a string at the opening quote onto the tape; false (with the error set) when it is malformed.</summary>
        private bool ParseString(JsonKind kind)
        {
            char[] text = _text;
            int open = _pos;
            int line = _line, lineStart = _lineStart;
            int i = open + 1;
            bool escapes = false;
            while ((i = SkipPlain(text, i, _length)) < _length)
            {
                char c = text[i];
                if (c == '"')
                {
                    _pos = i + 1;
                    int entry = _tape.Add(kind, open, _pos - open, line, lineStart, escapes);
                    if (_line != line)
                    {
                        _tape[entry].EndLine = _line;
                        _tape[entry].EndLineStart = _lineStart;
                    }

                    return true;
                }

                if (c == '\\')
                {
                    escapes = true;
                    if (!CheckEscape(i))
                    {
                        break;
                    }

                    i += text[i + 1] == 'u' ? 6 : 2;
                    continue;
                }

                if (c >= 0x20)
                {
                    // Any other character, raw; U+0085, U+2028 and U+2029 are allowed, and end a line for the compiler.
                    i++;
                    if (LineBreaks.Is(c))
                    {
                        NewLine(i);
                    }

                    continue;
                }

                if (c == '\n' || c == '\r')
                {
                    Fail(i, 1, D.StringBrokenByLine);
                }
                else
                {
                    Fail(i, 1, D.ControlCharacterInString, Describe(i), ((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }

                break;
            }

            if (_error is null)
            {
                Fail(open, 1, D.StringNeverClosed);
            }

            // _pos stays at the opening quote, and so does the line.
            (_line, _lineStart) = (line, lineStart);
            return false;
        }

        /// <summary>
        /// The first character from <paramref name="i"/> on (before <paramref name="end"/>) that a string does not take
        /// as it is: a quote, a backslash, a control character (JSON does not allow one raw), or U+0085 and above
        /// (the line separators are among them). Strings are short, so a plain loop beats a vectorized search per
        /// string; it is a method of its own so that the index stays in a register (inlined into the parser's
        /// larger methods, the JIT kept it in memory, which made every character wait for the previous one).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int SkipPlain(char[] text, int i, int end)
        {
            ReadOnlySpan<char> span = text.AsSpan(0, end);
            while ((uint)i < (uint)span.Length)
            {
                char c = span[i];
                if (c > '\\' ? c >= '\u0085' : (c < 0x20 || c == '"' || c == '\\'))
                {
                    break;
                }

                i++;
            }

            return i;
        }

        /// <summary>Checks the escape at <paramref name="backslash"/>; decoding happens when the value is read.</summary>
        private bool CheckEscape(int backslash)
        {
            if (backslash + 1 >= _length)
            {
                Fail(backslash, 1, D.EndInsideEscape);
                return false;
            }

            char e = _text[backslash + 1];
            switch (e)
            {
                case '"':
                case '\\':
                case '/':
                case 'b':
                case 'f':
                case 'n':
                case 'r':
                case 't':
                    return true;
                case 'u':
                    if (backslash + 6 <= _length && IsHex4(backslash + 2))
                    {
                        return true;
                    }

                    Fail(backslash, Math.Min(6, _length - backslash), D.ShortUnicodeEscape);
                    return false;
                default:
                    Fail(backslash, 2, D.UnknownEscape, Printable(e));
                    return false;
            }
        }

        private bool IsHex4(int at)
        {
            for (int i = at; i < at + 4; i++)
            {
                char c = _text[i];
                if (!(IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                {
                    return false;
                }
            }

            return true;
        }

        private bool ParseNumber()
        {
            int start = _pos;
            if (_text[_pos] == '-')
            {
                _pos++;
            }

            if (_pos >= _length || !IsDigit(_text[_pos]))
            {
                Fail(start, Math.Max(1, _pos - start), D.NoDigitsAfterMinus);
                return false;
            }

            if (_text[_pos] == '0' && _pos + 1 < _length && IsDigit(_text[_pos + 1]))
            {
                Fail(_pos, 1, D.LeadingZero);
                return false;
            }

            SkipDigits();
            if (_pos < _length && _text[_pos] == '.')
            {
                _pos++;
                if (_pos >= _length || !IsDigit(_text[_pos]))
                {
                    Fail(_pos - 1, 1, D.NoDigitsAfterPoint);
                    return false;
                }

                SkipDigits();
            }

            if (_pos < _length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
            {
                _pos++;
                if (_pos < _length && (_text[_pos] == '+' || _text[_pos] == '-'))
                {
                    _pos++;
                }

                if (_pos >= _length || !IsDigit(_text[_pos]))
                {
                    Fail(start, _pos - start, D.NoExponentDigits);
                    return false;
                }

                SkipDigits();
            }

            if (_pos < _length && IsWordChar(_text[_pos]))
            {
                Fail(start, _pos - start + 1, D.LettersAfterNumber);
                return false;
            }

            _tape.Add(JsonKind.Number, start, _pos - start, _line, _lineStart);
            return true;
        }

        private bool ParseLiteral(string literal, JsonKind kind)
        {
            int start = _pos;
            int end = start;
            while (end < _length && IsWordChar(_text[end]) && end - start < 64)
            {
                end++;
            }

            if (_text.AsSpan(start, end - start).SequenceEqual(literal.AsSpan()))
            {
                _pos = end;
                _tape.Add(kind, start, end - start, _line, _lineStart);
                return true;
            }

            Fail(start, Math.Max(1, end - start), D.BareWord, Shorten(new string(_text, start, end - start)));
            return false;
        }

        /// <summary>Skips whitespace and comments; false (with the error set) on an unterminated comment.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool SkipTrivia()
        {
            // Half the calls are at a delimiter already (a ':' after a name, a ',' after a value): no call then.
            int at = _pos;
            return (at < _length && _text[at] > ' ' && _text[at] != '/') || SkipWhitespaceAndComments();
        }

        private bool SkipWhitespaceAndComments()
        {
            char[] text = _text;
            int i = _pos;
            while (i < _length)
            {
                char c = text[i];
                if (c == ' ' || c == '\t')
                {
                    i++;
                }
                else if (c == '\n' || c == '\r')
                {
                    i = LineBreaks.End(text, i, _length);
                    NewLine(i);
                }
                else if (c == '/' && i + 1 < _length && text[i + 1] == '/')
                {
                    while (i < _length && text[i] != '\n' && text[i] != '\r')
                    {
                        if (text[i] == '\u2028' || text[i] == '\u2029')
                        {
                            // JavaScript ends a // comment there and System.Text.Json rejects it: ambiguous, so an error.
                            _pos = i;
                            Fail(i, 1, D.SeparatorInLineComment, Describe(i));
                            return false;
                        }

                        i++;
                        if (text[i - 1] == '\u0085')
                        {
                            NewLine(i); // the comment goes on, but the compiler counts a new line
                        }
                    }
                }
                else if (c == '/' && i + 1 < _length && text[i + 1] == '*')
                {
                    int close = text.AsSpan(i + 2, _length - i - 2).IndexOf("*/".AsSpan());
                    if (close < 0)
                    {
                        _pos = i;
                        Fail(i, 2, D.CommentNeverClosed);
                        return false;
                    }

                    int end = i + 2 + close + 2;
                    CountLines(i + 2, end - 2);
                    i = end;
                }
                else
                {
                    break;
                }
            }

            _pos = i;
            return true;
        }

        /// <summary>A line starts at <paramref name="at"/>, after a line break.</summary>
        private void NewLine(int at)
        {
            _line++;
            _lineStart = at;
        }

        /// <summary>Counts the line breaks in [start, end) (inside a comment).</summary>
        private void CountLines(int start, int end)
        {
            for (int i = start; i < end;)
            {
                if (LineBreaks.Is(_text[i]))
                {
                    i = LineBreaks.End(_text, i, end);
                    NewLine(i);
                }
                else
                {
                    i++;
                }
            }
        }

        private void SkipDigits()
        {
            while (_pos < _length && IsDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        private void Fail(int start, int length, DiagnosticDescriptor descriptor, params string[] args)
        {
            if (_error is null)
            {
                start = Math.Min(start, _length);
                length = Math.Max(0, Math.Min(length, _length - start));
                _error = new JsonSyntaxError(new TextSpan(start, length), descriptor, args);
            }
        }

        private string Describe(int at) => at >= _length ? "the end of the file" : "'" + Printable(_text[at]) + "'";

        private static string Printable(char c) =>
            c >= 0x20 && c < 0x7F ? c.ToString() : "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

        private static string Shorten(string s) => MessageText.Quote(s);

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
