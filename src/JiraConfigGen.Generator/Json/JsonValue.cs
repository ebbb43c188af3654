using System;
using System.Buffers;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Json
{
    internal enum JsonKind : byte
    {
        Object,
        Array,
        String,
        Number,
        True,
        False,
        Null,
        PropertyName,
    }

    /// <summary>
    /// The parsed file as one flat array of entries ("a tape", as System.Text.Json's JsonDocument keeps
    /// it): a container is followed by its children, an object's children are name and value pairs,
    /// and every entry knows where its subtree ends. Strings stay in the text until someone reads them,
    /// so parsing allocates almost nothing; the array is rented and given back on <see cref="Dispose"/>.
    /// Lives only inside the parse step.
    /// </summary>
    internal sealed class JsonTape : IDisposable
    {
        // Entries live in segments of 2,048 (48 KB): a large file never puts an array on the large
        // object heap, whose collections would make the cost of a file grow faster than its size.
        private const int SegmentShift = 11;
        private const int SegmentSize = 1 << SegmentShift;
        private const int SegmentMask = SegmentSize - 1;

        // The generator's own pool, which keeps enough segments for a 10,000-connection file (6 MB at most),
        // where the shared pool keeps a handful per size: reading such a file twice allocates once.
        private static readonly ArrayPool<Entry> Pool = ArrayPool<Entry>.Create(SegmentSize, 128);

        // The file's characters, copied out of the compiler's SourceText into a rented array: a large file
        // arrives in chunks (LargeText), and SourceText.ToString() would make a new string of it on the
        // large object heap every time it is read.
        private static readonly ArrayPool<char> CharPool = ArrayPool<char>.Create(1 << 24, 4);

        private Entry[][] _segments = new Entry[4][];
        private char[] _chars;

        public JsonTape(SourceText text)
        {
            Length = text.Length;
            _chars = CharPool.Rent(Length);
            text.CopyTo(0, _chars, 0, Length);
        }

        /// <summary>The text; only the first <see cref="Length"/> characters are the file's.</summary>
        public char[] Chars => _chars;

        public int Length { get; }

        public int Count { get; private set; }

        internal ref Entry this[int index] => ref _segments[index >> SegmentShift][index & SegmentMask];

        /// <summary>
        /// Adds a value that starts on line <paramref name="line"/> (which starts at <paramref name="lineStart"/>);
        /// the end is on that line too, or a container's <c>Close</c> says where.
        /// </summary>
        public int Add(JsonKind kind, int start, int length, int line, int lineStart, bool hasEscapes = false)
        {
            int segment = Count >> SegmentShift;
            if (segment == _segments.Length)
            {
                Array.Resize(ref _segments, _segments.Length * 2);
            }

            Entry[] entries = _segments[segment] ??= Rent();
            entries[Count & SegmentMask] = new Entry
            {
                Kind = kind, Start = start, Length = length, HasEscapes = hasEscapes, Complete = true, Next = Count + 1,
                StartLine = line, StartLineStart = lineStart, EndLine = line, EndLineStart = lineStart,
            };
            return Count++;
        }

        /// <summary>Forgets entries from <paramref name="count"/> on (a value that failed to parse).</summary>
        public void Truncate(int count) => Count = count;

        /// <summary>A string entry's value: a substring of the text, or its escapes decoded.</summary>
        public string Decode(int index)
        {
            ref Entry e = ref this[index];
            int start = e.Start + 1;
            int length = e.Length - 2;
            return e.HasEscapes ? Unescape(_chars, start, length) : new string(_chars, start, length);
        }

        /// <summary>Whether a string entry's value equals <paramref name="value"/>, without allocating when it has no escapes.</summary>
        public bool Equals(int index, string value)
        {
            ref Entry e = ref this[index];
            if (e.HasEscapes)
            {
                return string.Equals(Decode(index), value, StringComparison.Ordinal);
            }

            return e.Length - 2 == value.Length && _chars.AsSpan(e.Start + 1, value.Length).SequenceEqual(value.AsSpan());
        }

        /// <summary>The position in <paramref name="names"/> of a string entry's value, or -1; without allocating when it has no escapes.</summary>
        public int IndexIn(int index, string[] names)
        {
            ref Entry e = ref this[index];
            if (e.HasEscapes)
            {
                return Array.IndexOf(names, Decode(index));
            }

            ReadOnlySpan<char> value = _chars.AsSpan(e.Start + 1, e.Length - 2);
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i].Length == value.Length && value.SequenceEqual(names[i].AsSpan()))
                {
                    return i;
                }
            }

            return -1;
        }

        public void Dispose()
        {
            for (int i = 0; i < _segments.Length; i++)
            {
                if (_segments[i] is { } segment)
                {
                    Pool.Return(segment);
                    _segments[i] = null!;
                }
            }

            if (_chars.Length > 0)
            {
                CharPool.Return(_chars);
                _chars = Array.Empty<char>();
            }
        }

        private static Entry[] Rent() => Pool.Rent(SegmentSize);

        /// <summary>Decodes the escapes of a string the parser has already validated.</summary>
        private static string Unescape(char[] text, int start, int length)
        {
            var builder = new StringBuilder(length);
            int end = start + length;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                char e = text[++i];
                switch (e)
                {
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        builder.Append((char)((Hex(text[i + 1]) << 12) | (Hex(text[i + 2]) << 8) | (Hex(text[i + 3]) << 4) | Hex(text[i + 4])));
                        i += 4;
                        break;
                    default: builder.Append(e); break; // " \ /
                }
            }

            return builder.ToString();
        }

        private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

        internal struct Entry
        {
            public JsonKind Kind;
            public bool HasEscapes;

            /// <summary>False for a container the text ended (or broke) inside of: its content may be partial.</summary>
            public bool Complete;

            /// <summary>Where the token starts: a container's bracket, a string's opening quote.</summary>
            public int Start;

            public int Length;

            /// <summary>The index after this entry's subtree: the next sibling.</summary>
            public int Next;

            /// <summary>A container's children: an object's properties, an array's items.</summary>
            public int Count;

            /// <summary>The line of <see cref="Start"/> (0-based), and the position where that line starts.</summary>
            public int StartLine, StartLineStart;

            /// <summary>The line of the end (Start + Length), and the position where that line starts.</summary>
            public int EndLine, EndLineStart;
        }
    }

    /// <summary>A JSON value and where it is in the text: a view of one entry of a <see cref="JsonTape"/>.</summary>
    internal readonly struct JsonValue
    {
        private readonly JsonTape? _tape;
        private readonly int _index;

        public JsonValue(JsonTape tape, int index)
        {
            _tape = tape;
            _index = index;
        }

        /// <summary>False for the default value, which stands for "no value".</summary>
        public bool IsPresent => _tape is not null;

        public JsonKind Kind => _tape![_index].Kind;

        /// <summary>The whole value; for a container, from its opening bracket to its closing one.</summary>
        public TextSpan Span => new(_tape![_index].Start, _tape[_index].Length);

        /// <summary>False for a container the text ended (or broke) inside of: its content may be partial.</summary>
        public bool IsComplete => _tape![_index].Complete;

        /// <summary>The lines and columns of <see cref="Span"/>, as the compiler counts them.</summary>
        public LinePositionSpan LineSpan
        {
            get
            {
                ref JsonTape.Entry e = ref _tape![_index];
                return new LinePositionSpan(
                    new LinePosition(e.StartLine, e.Start - e.StartLineStart),
                    new LinePosition(e.EndLine, e.Start + e.Length - e.EndLineStart));
            }
        }

        /// <summary>A string's decoded value, or a number's text as written; a new string on every call.</summary>
        public string? Text => Kind switch
        {
            JsonKind.String => _tape!.Decode(_index),
            JsonKind.Number => new string(_tape!.Chars, _tape[_index].Start, _tape[_index].Length),
            _ => null,
        };

        /// <summary>A number written as up to 9 plain digits, read in place (the common <c>"webhooks": 3</c>).</summary>
        public bool TryGetSmallCount(out int count)
        {
            count = 0;
            if (Kind != JsonKind.Number)
            {
                return false;
            }

            ref JsonTape.Entry e = ref _tape![_index];
            if (e.Length > 9)
            {
                return false;
            }

            for (int i = e.Start; i < e.Start + e.Length; i++)
            {
                char c = _tape.Chars[i];
                if (c < '0' || c > '9')
                {
                    count = 0;
                    return false;
                }

                count = (count * 10) + (c - '0');
            }

            return true;
        }

        /// <summary>Whether this is a string equal to <paramref name="value"/>.</summary>
        public bool IsString(string value) => Kind == JsonKind.String && _tape!.Equals(_index, value);

        /// <summary>An object's properties in order, repeats included (none for other kinds).</summary>
        public JsonProperties Properties => new(_tape!, Kind == JsonKind.Object ? _index : -1);

        /// <summary>An array's items in order (none for other kinds).</summary>
        public JsonItems Items => new(_tape!, Kind == JsonKind.Array ? _index : -1);

        public string KindName => Kind switch
        {
            JsonKind.Object => "an object",
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.True or JsonKind.False => "a boolean",
            _ => "null",
        };
    }

    /// <summary>A property of an object: its name (an entry of the tape) and the value after it.</summary>
    internal readonly struct JsonProperty
    {
        private readonly JsonTape? _tape;
        private readonly int _nameIndex;

        public JsonProperty(JsonTape tape, int nameIndex)
        {
            _tape = tape;
            _nameIndex = nameIndex;
        }

        /// <summary>False for the default value, which stands for "no such property".</summary>
        public bool IsPresent => _tape is not null;

        /// <summary>The name, decoded: a new string on every call (compare with <see cref="IndexIn"/> instead).</summary>
        public string Name => _tape!.Decode(_nameIndex);

        /// <summary>The property name with its quotes.</summary>
        public TextSpan NameSpan => new(_tape![_nameIndex].Start, _tape[_nameIndex].Length);

        public JsonValue Value => new(_tape!, _nameIndex + 1);

        /// <summary>The position of the name in <paramref name="names"/>, or -1; compared in place.</summary>
        public int IndexIn(string[] names) => _tape!.IndexIn(_nameIndex, names);
    }

    /// <summary>The properties of an object, enumerated without allocating.</summary>
    internal readonly struct JsonProperties
    {
        private readonly JsonTape _tape;
        private readonly int _object;

        public JsonProperties(JsonTape tape, int objectIndex)
        {
            _tape = tape;
            _object = objectIndex;
        }

        public int Count => _object < 0 ? 0 : _tape[_object].Count;

        public Enumerator GetEnumerator() => new(_tape, _object);

        public struct Enumerator
        {
            private readonly JsonTape _tape;
            private readonly int _end;
            private int _next;

            public Enumerator(JsonTape tape, int objectIndex)
            {
                _tape = tape;
                _end = objectIndex < 0 ? 0 : tape[objectIndex].Next;
                _next = objectIndex + 1;
                Current = default;
            }

            public JsonProperty Current { get; private set; }

            public bool MoveNext()
            {
                if (_next >= _end)
                {
                    return false;
                }

                Current = new JsonProperty(_tape, _next);
                _next = _tape[_next + 1].Next; // past the name and its value's subtree
                return true;
            }
        }
    }

    /// <summary>The items of an array, enumerated without allocating.</summary>
    internal readonly struct JsonItems
    {
        private readonly JsonTape _tape;
        private readonly int _array;

        public JsonItems(JsonTape tape, int arrayIndex)
        {
            _tape = tape;
            _array = arrayIndex;
        }

        public int Count => _array < 0 ? 0 : _tape[_array].Count;

        public Enumerator GetEnumerator() => new(_tape, _array);

        public struct Enumerator
        {
            private readonly JsonTape _tape;
            private readonly int _end;
            private int _next;

            public Enumerator(JsonTape tape, int arrayIndex)
            {
                _tape = tape;
                _end = arrayIndex < 0 ? 0 : tape[arrayIndex].Next;
                _next = arrayIndex + 1;
                Current = default;
            }

            public JsonValue Current { get; private set; }

            public bool MoveNext()
            {
                if (_next >= _end)
                {
                    return false;
                }

                Current = new JsonValue(_tape, _next);
                _next = _tape[_next].Next;
                return true;
            }
        }
    }
}
