using System.Globalization;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Json
{
    /// <summary>The first syntax error in a file: where, and what is wrong in words a user can act on.</summary>
    internal sealed record JsonSyntaxError(TextSpan Span, string Message);

    /// <summary>
    /// The root value (possibly partial when <see cref="Error"/> is set: containers the error fell
    /// inside are marked incomplete, everything before it is kept) and the first syntax error.
    /// </summary>
    internal sealed record JsonParseResult(JsonValue? Root, JsonSyntaxError? Error);

    /// <summary>
    /// A small JSON reader that keeps the position of every value. It accepts what appsettings.json
    /// accepts beyond RFC 8259 (<c>//</c> and <c>/* */</c> comments, trailing commas, a leading BOM),
    /// stops at the first error, and never throws: nesting is capped at <see cref="MaxDepth"/>
    /// levels, so no input can exhaust the stack.
    /// </summary>
    internal sealed class JsonParser
    {
        /// <summary>The deepest nesting accepted (System.Text.Json's default too); a connections file needs 4.</summary>
        public const int MaxDepth = 64;

        private readonly string _text;
        private readonly CancellationToken _cancellationToken;
        private int _pos;
        private JsonSyntaxError? _error;

        private JsonParser(string text, CancellationToken cancellationToken)
        {
            _text = text;
            _cancellationToken = cancellationToken;
        }

        public static JsonParseResult Parse(string text, CancellationToken cancellationToken = default)
        {
            var parser = new JsonParser(text, cancellationToken);
            return parser.ParseDocument();
        }

        private JsonParseResult ParseDocument()
        {
            if (_text.Length > 0 && _text[0] == '\uFEFF')
            {
                _pos = 1;
            }

            if (!SkipTrivia())
            {
                return new JsonParseResult(null, _error);
            }

            if (_pos >= _text.Length)
            {
                return new JsonParseResult(null, new JsonSyntaxError(new TextSpan(_pos, 0), "The file is empty; write an object such as { \"connections\": [ ... ] }"));
            }

            JsonValue? root = ParseValue(depth: 1);
            if (_error is null && SkipTrivia() && _pos < _text.Length)
            {
                Fail(_pos, 1, $"Unexpected {Describe(_pos)} after the end of the root value; a file holds exactly one JSON object");
            }

            return new JsonParseResult(root, _error);
        }

        private JsonValue? ParseValue(int depth)
        {
            if (_pos >= _text.Length)
            {
                Fail(_pos, 0, "The file ends where a value was expected");
                return null;
            }

            char c = _text[_pos];
            switch (c)
            {
                case '{':
                case '[':
                    if (depth > MaxDepth)
                    {
                        Fail(_pos, 1, $"The JSON nests deeper than {MaxDepth} levels; a connections file needs no more than 4");
                        return null;
                    }

                    return c == '{' ? ParseObject(depth) : ParseArray(depth);
                case '"':
                    int start = _pos;
                    string? s = ParseString();
                    return s is null ? null : JsonValue.Scalar(JsonKind.String, TextSpan.FromBounds(start, _pos), s);
                case 't':
                    return ParseLiteral("true", JsonKind.True);
                case 'f':
                    return ParseLiteral("false", JsonKind.False);
                case 'n':
                    return ParseLiteral("null", JsonKind.Null);
                case '\'':
                    Fail(_pos, 1, "Strings must be in double quotes (\"), not single quotes");
                    return null;
                default:
                    if (c == '-' || IsDigit(c))
                    {
                        return ParseNumber();
                    }

                    Fail(_pos, 1, $"Unexpected {Describe(_pos)} where a value was expected");
                    return null;
            }
        }

        private JsonValue ParseObject(int depth)
        {
            JsonValue obj = JsonValue.Container(JsonKind.Object, _pos);
            _pos++; // '{'
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!SkipTrivia())
                {
                    return Incomplete(obj);
                }

                if (_pos >= _text.Length)
                {
                    Fail(_pos, 0, "The file ends inside an object; a '}' is missing");
                    return Incomplete(obj);
                }

                if (_text[_pos] == '}')
                {
                    _pos++;
                    obj.Close(_pos);
                    return obj;
                }

                if (_text[_pos] != '"')
                {
                    Fail(_pos, 1, _text[_pos] == '\''
                        ? "Property names must be in double quotes (\"), not single quotes"
                        : $"Expected a property name in double quotes or '}}', found {Describe(_pos)}");
                    return Incomplete(obj);
                }

                int nameStart = _pos;
                string? name = ParseString();
                if (name is null)
                {
                    return Incomplete(obj);
                }

                var nameSpan = TextSpan.FromBounds(nameStart, _pos);
                if (!SkipTrivia())
                {
                    return Incomplete(obj);
                }

                if (_pos >= _text.Length || _text[_pos] != ':')
                {
                    Fail(_pos, _pos < _text.Length ? 1 : 0, $"Expected ':' after the property name \"{Shorten(name)}\", found {Describe(_pos)}");
                    return Incomplete(obj);
                }

                _pos++; // ':'
                if (!SkipTrivia())
                {
                    return Incomplete(obj);
                }

                JsonValue? value = ParseValue(depth + 1);
                if (value is null)
                {
                    return Incomplete(obj);
                }

                obj.Properties.Add(new JsonProperty(name, nameSpan, value));
                if (_error is not null)
                {
                    return Incomplete(obj);
                }

                if (!SkipTrivia())
                {
                    return Incomplete(obj);
                }

                if (_pos < _text.Length && _text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }

                if (_pos < _text.Length && _text[_pos] == '}')
                {
                    continue; // closed at the top of the loop
                }

                Fail(_pos, _pos < _text.Length ? 1 : 0, $"Expected ',' or '}}' after the value of \"{Shorten(name)}\", found {Describe(_pos)}");
                return Incomplete(obj);
            }
        }

        private JsonValue ParseArray(int depth)
        {
            JsonValue array = JsonValue.Container(JsonKind.Array, _pos);
            _pos++; // '['
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!SkipTrivia())
                {
                    return Incomplete(array);
                }

                if (_pos >= _text.Length)
                {
                    Fail(_pos, 0, "The file ends inside an array; a ']' is missing");
                    return Incomplete(array);
                }

                if (_text[_pos] == ']')
                {
                    _pos++;
                    array.Close(_pos);
                    return array;
                }

                JsonValue? item = ParseValue(depth + 1);
                if (item is null)
                {
                    return Incomplete(array);
                }

                array.Items.Add(item);
                if (_error is not null || !SkipTrivia())
                {
                    return Incomplete(array);
                }

                if (_pos < _text.Length && _text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }

                if (_pos < _text.Length && _text[_pos] == ']')
                {
                    continue;
                }

                Fail(_pos, _pos < _text.Length ? 1 : 0, $"Expected ',' or ']' after an array item, found {Describe(_pos)}");
                return Incomplete(array);
            }
        }

        private JsonValue Incomplete(JsonValue container)
        {
            container.MarkIncomplete(_pos);
            return container;
        }

        /// <summary>Reads a string at the opening quote; returns null (with the error set) when it is malformed.</summary>
        private string? ParseString()
        {
            int open = _pos;
            _pos++;
            StringBuilder? builder = null;
            int runStart = _pos;
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '"')
                {
                    string value = builder is null
                        ? _text.Substring(runStart, _pos - runStart)
                        : builder.Append(_text, runStart, _pos - runStart).ToString();
                    _pos++;
                    return value;
                }

                if (c == '\\')
                {
                    builder ??= new StringBuilder();
                    builder.Append(_text, runStart, _pos - runStart);
                    if (!AppendEscape(builder))
                    {
                        return null;
                    }

                    runStart = _pos;
                    continue;
                }

                if (c < 0x20)
                {
                    Fail(_pos, 1, c == '\n' || c == '\r'
                        ? "A string does not end before the line does; close it with '\"' or write a line break as \\n"
                        : $"A string contains the control character {Describe(_pos)}; write it as an escape such as \\u{(int)c:X4}");
                    return null;
                }

                _pos++;
            }

            Fail(open, 1, "A string is never closed; add the missing '\"'");
            return null;
        }

        private bool AppendEscape(StringBuilder builder)
        {
            int backslash = _pos;
            _pos++;
            if (_pos >= _text.Length)
            {
                Fail(backslash, 1, "The file ends inside an escape sequence");
                return false;
            }

            char e = _text[_pos];
            _pos++;
            switch (e)
            {
                case '"': builder.Append('"'); return true;
                case '\\': builder.Append('\\'); return true;
                case '/': builder.Append('/'); return true;
                case 'b': builder.Append('\b'); return true;
                case 'f': builder.Append('\f'); return true;
                case 'n': builder.Append('\n'); return true;
                case 'r': builder.Append('\r'); return true;
                case 't': builder.Append('\t'); return true;
                case 'u':
                    if (_pos + 4 <= _text.Length && int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code) && IsHex4(_pos))
                    {
                        builder.Append((char)code);
                        _pos += 4;
                        return true;
                    }

                    Fail(backslash, System.Math.Min(6, _text.Length - backslash), "\\u must be followed by four hexadecimal digits");
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

        private JsonValue? ParseNumber()
        {
            int start = _pos;
            if (_text[_pos] == '-')
            {
                _pos++;
            }

            if (_pos >= _text.Length || !IsDigit(_text[_pos]))
            {
                Fail(start, System.Math.Max(1, _pos - start), "A number needs digits after '-'");
                return null;
            }

            if (_text[_pos] == '0' && _pos + 1 < _text.Length && IsDigit(_text[_pos + 1]))
            {
                Fail(_pos, 1, "Numbers must not have leading zeros");
                return null;
            }

            SkipDigits();
            if (_pos < _text.Length && _text[_pos] == '.')
            {
                _pos++;
                if (_pos >= _text.Length || !IsDigit(_text[_pos]))
                {
                    Fail(_pos - 1, 1, "A number needs digits after '.'");
                    return null;
                }

                SkipDigits();
            }

            if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
            {
                _pos++;
                if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
                {
                    _pos++;
                }

                if (_pos >= _text.Length || !IsDigit(_text[_pos]))
                {
                    Fail(start, _pos - start, "A number's exponent needs digits");
                    return null;
                }

                SkipDigits();
            }

            if (_pos < _text.Length && IsWordChar(_text[_pos]))
            {
                Fail(start, _pos - start + 1, "A number is followed by letters; write a plain number, or a string in double quotes");
                return null;
            }

            return JsonValue.Scalar(JsonKind.Number, TextSpan.FromBounds(start, _pos), _text.Substring(start, _pos - start));
        }

        private JsonValue? ParseLiteral(string literal, JsonKind kind)
        {
            int start = _pos;
            int end = start;
            while (end < _text.Length && IsWordChar(_text[end]) && end - start < 64)
            {
                end++;
            }

            if (end - start == literal.Length && string.CompareOrdinal(_text, start, literal, 0, literal.Length) == 0)
            {
                _pos = end;
                return JsonValue.Scalar(kind, TextSpan.FromBounds(start, end));
            }

            Fail(start, System.Math.Max(1, end - start), $"Unexpected word '{Shorten(_text.Substring(start, end - start))}'; strings must be in double quotes, and the only bare words are true, false and null");
            return null;
        }

        /// <summary>Skips whitespace and comments; false (with the error set) on an unterminated comment.</summary>
        private bool SkipTrivia()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                {
                    _pos++;
                }
                else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
                {
                    while (_pos < _text.Length && _text[_pos] != '\n' && _text[_pos] != '\r')
                    {
                        if (_text[_pos] == '\u2028' || _text[_pos] == '\u2029')
                        {
                            // JavaScript ends a // comment there and System.Text.Json rejects it: ambiguous, so an error.
                            Fail(_pos, 1, $"A // comment contains the line separator {Describe(_pos)}; remove it or use a /* */ comment");
                            return false;
                        }

                        _pos++;
                    }
                }
                else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
                {
                    int close = _text.IndexOf("*/", _pos + 2, System.StringComparison.Ordinal);
                    if (close < 0)
                    {
                        Fail(_pos, 2, "A /* comment is never closed; add '*/'");
                        return false;
                    }

                    _pos = close + 2;
                }
                else
                {
                    return true;
                }
            }

            return true;
        }

        private void SkipDigits()
        {
            while (_pos < _text.Length && IsDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        private void Fail(int start, int length, string message)
        {
            if (_error is null)
            {
                start = System.Math.Min(start, _text.Length);
                length = System.Math.Max(0, System.Math.Min(length, _text.Length - start));
                _error = new JsonSyntaxError(new TextSpan(start, length), message);
            }
        }

        private string Describe(int at) => at >= _text.Length ? "the end of the file" : "'" + Printable(_text[at]) + "'";

        private static string Printable(char c) =>
            c >= 0x20 && c < 0x7F ? c.ToString() : "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

        private static string Shorten(string s) => MessageText.Quote(s);

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
