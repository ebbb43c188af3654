using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Emit
{
    /// <summary>
    /// A growable buffer of characters, written into one pooled chunk of 32K characters at a time. A full
    /// chunk is stored as ASCII bytes when it is all ASCII (generated C# nearly always is), or as its own
    /// characters otherwise, and the pooled chunk is written again. The emitted source reaches the compiler
    /// as those chunks (<see cref="ToSourceText"/>): a 10,000-connection class costs one byte per character
    /// and never makes one large string, builder or array (every chunk is under the large object heap's threshold).
    /// </summary>
    internal sealed class CharBuffer : IDisposable
    {
        private const int ChunkShift = 15;
        private const int ChunkSize = 1 << ChunkShift;
        private const int ChunkMask = ChunkSize - 1;

        // The chunk being written: one per writer, from the generator's own pool (the shared pool keeps few of this size).
        private static readonly ArrayPool<char> Pool = ArrayPool<char>.Create(ChunkSize, 16);

        // Full chunks, each a byte[] (ASCII) or a char[] of ChunkSize.
        private readonly List<Array> _full = new();
        private char[] _current = Pool.Rent(ChunkSize);
        private int _used;

        public int Length => (_full.Count * ChunkSize) + _used;

        public void Append(char c)
        {
            if (_used == ChunkSize)
            {
                NextChunk();
            }

            _current[_used++] = c;
        }

        public void Append(char c, int count)
        {
            while (count > 0)
            {
                if (_used == ChunkSize)
                {
                    NextChunk();
                }

                int n = Math.Min(count, ChunkSize - _used);
                _current.AsSpan(_used, n).Fill(c);
                _used += n;
                count -= n;
            }
        }

        /// <summary>Appends a number's digits, without making a string of them when they fit in the current chunk.</summary>
        public void Append(int value)
        {
            int digits = 1;
            for (int rest = value / 10; rest > 0; rest /= 10)
            {
                digits++;
            }

            if (value < 0 || ChunkSize - _used < digits)
            {
                Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return;
            }

            for (int i = _used + digits - 1; i >= _used; i--)
            {
                _current[i] = (char)('0' + (value % 10));
                value /= 10;
            }

            _used += digits;
        }

        public void Append(string text) => Append(text, 0, text.Length);

        public void Append(string text, int start, int count)
        {
            while (count > 0)
            {
                if (_used == ChunkSize)
                {
                    NextChunk();
                }

                int n = Math.Min(count, ChunkSize - _used);
                text.CopyTo(start, _current, _used, n);
                _used += n;
                start += n;
                count -= n;
            }
        }

        /// <summary>
        /// Appends <paramref name="text"/> (between two <paramref name="quote"/> characters, unless it is '\0') in one
        /// pass that copies and checks each character, if all are printable ASCII other than the excepted ones and
        /// they fit in the current chunk. Otherwise appends nothing and returns false, for the caller's escaping path.
        /// </summary>
        public bool TryAppendPlain(string text, char quote, char except1, char except2, char except3 = '\0')
        {
            int extra = quote == '\0' ? 0 : 2;
            int at = _used;
            if (ChunkSize - at < text.Length + extra)
            {
                return false;
            }

            char[] chunk = _current;
            if (extra > 0)
            {
                chunk[at++] = quote;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if ((uint)(c - 0x20) >= 0x5F || c == except1 || c == except2 || c == except3)
                {
                    return false;
                }

                chunk[at++] = c;
            }

            if (extra > 0)
            {
                chunk[at++] = quote;
            }

            _used = at;
            return true;
        }

        public override string ToString()
        {
            var builder = new StringBuilder(Length);
            char[] widened = _full.Count == 0 ? Array.Empty<char>() : new char[ChunkSize];
            foreach (Array chunk in _full)
            {
                builder.Append(Chars(chunk, widened), 0, ChunkSize);
            }

            return builder.Append(_current, 0, _used).ToString();
        }

        /// <summary>
        /// The content as UTF-8 source text, and the buffer is left empty. A content of more than one chunk
        /// is not copied into one piece: its chunks become the text (<see cref="ChunkedText"/>).
        /// </summary>
        public SourceText ToSourceText()
        {
            SourceText text;
            if (_full.Count == 0)
            {
                text = SourceText.From(new string(_current, 0, _used), Encoding.UTF8);
            }
            else
            {
                var chunks = new Array[_full.Count + 1];
                _full.CopyTo(chunks);
                chunks[_full.Count] = Store(_current, _used);
                text = new ChunkedText(chunks, Length);

                // The compiler owns the stored chunks now.
                _full.Clear();
            }

            _used = 0;
            return text;
        }

        public void Dispose()
        {
            _full.Clear();
            if (_current.Length > 0)
            {
                Pool.Return(_current);
                _current = Array.Empty<char>();
            }
        }

        private void NextChunk()
        {
            _full.Add(Store(_current, ChunkSize));
            _used = 0;
        }

        /// <summary>A copy of the first <paramref name="count"/> characters: ASCII bytes when they are all ASCII.</summary>
        private static Array Store(char[] chars, int count)
        {
            // Both calls are vectorized on .NET; the chunk is still in the processor's cache.
            if (Encoding.UTF8.GetByteCount(chars, 0, count) == count)
            {
                byte[] bytes = new byte[count];
                Encoding.ASCII.GetBytes(chars, 0, count, bytes, 0);
                return bytes;
            }

            char[] copy = new char[count];
            Array.Copy(chars, copy, count);
            return copy;
        }

        /// <summary>A stored chunk's characters: the chunk itself, or its bytes widened into <paramref name="buffer"/>.</summary>
        private static char[] Chars(Array chunk, char[] buffer)
        {
            if (chunk is byte[] bytes)
            {
                Encoding.ASCII.GetChars(bytes, 0, bytes.Length, buffer, 0);
                return buffer;
            }

            return (char[])chunk;
        }

        /// <summary>A source text over stored chunks of <see cref="ChunkSize"/> characters (the last one shorter).</summary>
        private sealed class ChunkedText : SourceText
        {
            private readonly Array[] _chunks;
            private readonly int _length;

            public ChunkedText(Array[] chunks, int length)
            {
                _chunks = chunks;
                _length = length;
            }

            public override Encoding Encoding => Encoding.UTF8;

            public override int Length => _length;

            public override char this[int position]
            {
                get
                {
                    if ((uint)position >= (uint)_length)
                    {
                        throw new ArgumentOutOfRangeException(nameof(position));
                    }

                    Array chunk = _chunks[position >> ChunkShift];
                    return chunk is byte[] bytes ? (char)bytes[position & ChunkMask] : ((char[])chunk)[position & ChunkMask];
                }
            }

            public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)
            {
                if (sourceIndex < 0 || count < 0 || sourceIndex > _length - count)
                {
                    throw new ArgumentOutOfRangeException(nameof(sourceIndex));
                }

                while (count > 0)
                {
                    int offset = sourceIndex & ChunkMask;
                    int n = Math.Min(count, ChunkSize - offset);
                    Array chunk = _chunks[sourceIndex >> ChunkShift];
                    if (chunk is byte[] bytes)
                    {
                        Encoding.ASCII.GetChars(bytes, offset, n, destination, destinationIndex);
                    }
                    else
                    {
                        Array.Copy(chunk, offset, destination, destinationIndex, n);
                    }

                    sourceIndex += n;
                    destinationIndex += n;
                    count -= n;
                }
            }
        }
    }
}
