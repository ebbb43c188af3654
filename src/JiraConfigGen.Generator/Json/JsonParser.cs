using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System;
using JiraConfigGen.Shared;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Json
{
    /// <summary>The first syntax error in a file: where, and what is wrong in words a user can act on.</summary>
    internal sealed record JsonSyntaxError(TextSpan Span, string Message);

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
                return new JsonParseResult(_tape, new JsonSyntaxError(new TextSpan(_pos, 0), "The file is empty; write an object such as { \"connections\": [ ... ] }"));
            }

            ParseValue(depth: 1);
            if (_error is null && SkipTrivia() && _pos < _length)
            {
                Fail(_pos, 1, $"Unexpected {Describe(_pos)} after the end of the root value; a file holds exactly one JSON object");
            }

            return new JsonParseResult(_tape, _error);
        }

        /// <summary>Parses one value onto the tape; false (and nothing added) when it is malformed before it starts a container.</summary>
        private bool ParseValue(int depth)
        {
            if (_pos >= _length)
            {
                Fail(_pos, 0, "The file ends where a value was expected");
                return false;
            }

            char c = _text[_pos];
            switch (c)
            {
                case '{':
                case '[':
                    if (depth > MaxDepth)
                    {
                        Fail(_pos, 1, $"The JSON nests deeper than {MaxDepth} levels; a connections file needs no more than 4");
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
                    Fail(_pos, 1, "Strings must be in double quotes (\"), not single quotes");
                    return false;
                default:
                    if (c == '-' || IsDigit(c))
                    {
                        return ParseNumber();
                    }

                    Fail(_pos, 1, $"Unexpected {Describe(_pos)} where a value was expected");
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
                    Fail(_pos, 0, "The file ends inside an object; a '}' is missing");
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
                    Fail(_pos, 1, _text[_pos] == '\''
                        ? "Property names must be in double quotes (\"), not single quotes"
                        : $"Expected a property name in double quotes or '}}', found {Describe(_pos)}");
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
                    Fail(_pos, _pos < _length ? 1 : 0, $"Expected ':' after the property name \"{Shorten(_tape.Decode(name))}\", found {Describe(_pos)}");
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

                Fail(_pos, _pos < _length ? 1 : 0, $"Expected ',' or '}}' after the value of \"{Shorten(_tape.Decode(name))}\", found {Describe(_pos)}");
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
                    Fail(_pos, 0, "The file ends inside an array; a ']' is missing");
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

                Fail(_pos, _pos < _length ? 1 : 0, $"Expected ',' or ']' after an array item, found {Describe(_pos)}");
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

                Fail(i, 1, c == '\n' || c == '\r'
                    ? "A string does not end before the line does; close it with '\"' or write a line break as \\n"
                    : $"A string contains the control character {Describe(i)}; write it as an escape such as \\u{(int)c:X4}");
                break;
            }

            if (_error is null)
            {
                Fail(open, 1, "A string is never closed; add the missing '\"'");
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
                Fail(backslash, 1, "The file ends inside an escape sequence");
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

                    Fail(backslash, Math.Min(6, _length - backslash), "\\u must be followed by four hexadecimal digits");
                    return false;
                default:
                    Fail(backslash, 2, $"'\\{Printable(e)}' is not a JSON escape; use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
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
                Fail(start, Math.Max(1, _pos - start), "A number needs digits after '-'");
                return false;
            }

            if (_text[_pos] == '0' && _pos + 1 < _length && IsDigit(_text[_pos + 1]))
            {
                Fail(_pos, 1, "Numbers must not have leading zeros");
                return false;
            }

            SkipDigits();
            if (_pos < _length && _text[_pos] == '.')
            {
                _pos++;
                if (_pos >= _length || !IsDigit(_text[_pos]))
                {
                    Fail(_pos - 1, 1, "A number needs digits after '.'");
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
                    Fail(start, _pos - start, "A number's exponent needs digits");
                    return false;
                }

                SkipDigits();
            }

            if (_pos < _length && IsWordChar(_text[_pos]))
            {
                Fail(start, _pos - start + 1, "A number is followed by letters; write a plain number, or a string in double quotes");
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

            Fail(start, Math.Max(1, end - start), $"Unexpected word '{Shorten(new string(_text, start, end - start))}'; strings must be in double quotes, and the only bare words are true, false and null");
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
                            Fail(i, 1, $"A // comment contains the line separator {Describe(i)}; remove it or use a /* */ comment");
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
                        Fail(i, 2, "A /* comment is never closed; add '*/'");
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

        private void Fail(int start, int length, string message)
        {
            if (_error is null)
            {
                start = Math.Min(start, _length);
                length = Math.Max(0, Math.Min(length, _length - start));
                _error = new JsonSyntaxError(new TextSpan(start, length), message);
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
