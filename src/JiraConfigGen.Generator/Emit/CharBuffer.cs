using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Emit
{
    /// <summary>
    /// A growable buffer of characters in pooled chunks of 32K (64 KB, under the large object heap's
    /// threshold). The emitted source reaches the compiler from it in chunks (<see cref="ToSourceText"/>),
    /// so even a 10,000-connection class never makes one large string, builder or array.
    /// </summary>
    internal sealed class CharBuffer : IDisposable
    {
        private const int ChunkSize = 32 * 1024;

        // The generator's own pool, which keeps enough chunks for a 10,000-connection class (8 MB at most),
        // where the shared pool keeps a handful per size: emitting it again allocates nothing here.
        private static readonly ArrayPool<char> Pool = ArrayPool<char>.Create(ChunkSize, 128);

        private readonly List<char[]> _full = new();
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
            for (int i = 0; i < count; i++)
            {
                Append(c);
            }
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

        public override string ToString()
        {
            var builder = new StringBuilder(Length);
            foreach (char[] chunk in _full)
            {
                builder.Append(chunk, 0, ChunkSize);
            }

            return builder.Append(_current, 0, _used).ToString();
        }

        /// <summary>
        /// The content as UTF-8 source text, and the buffer is left empty. A content of more than one chunk
        /// is not copied: its chunks become the text (<see cref="ChunkedText"/>), so a 10,000-connection
        /// class costs no second copy and never one large string.
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
                var chunks = new char[_full.Count + 1][];
                _full.CopyTo(chunks);
                chunks[_full.Count] = _current;
                text = new ChunkedText(chunks, Length);

                // The compiler owns them now: they do not go back to the pool.
                _full.Clear();
                _current = Array.Empty<char>();
            }

            _used = 0;
            return text;
        }

        public void Dispose()
        {
            foreach (char[] chunk in _full)
            {
                Pool.Return(chunk);
            }

            _full.Clear();
            if (_current.Length > 0)
            {
                Pool.Return(_current);
                _current = Array.Empty<char>();
            }
        }

        private void NextChunk()
        {
            _full.Add(_current);
            _current = Pool.Rent(ChunkSize);
            _used = 0;
        }

        /// <summary>A source text over full chunks of <see cref="ChunkSize"/> characters (the last one partly used).</summary>
        private sealed class ChunkedText : SourceText
        {
            private const int Shift = 15;
            private readonly char[][] _chunks;
            private readonly int _length;

            public ChunkedText(char[][] chunks, int length)
            {
                _chunks = chunks;
                _length = length;
            }

            public override Encoding Encoding => Encoding.UTF8;

            public override int Length => _length;

            public override char this[int position] =>
                (uint)position < (uint)_length ? _chunks[position >> Shift][position & (ChunkSize - 1)] : throw new ArgumentOutOfRangeException(nameof(position));

            public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)
            {
                if (sourceIndex < 0 || count < 0 || sourceIndex > _length - count)
                {
                    throw new ArgumentOutOfRangeException(nameof(sourceIndex));
                }

                while (count > 0)
                {
                    int offset = sourceIndex & (ChunkSize - 1);
                    int n = Math.Min(count, ChunkSize - offset);
                    Array.Copy(_chunks[sourceIndex >> Shift], offset, destination, destinationIndex, n);
                    sourceIndex += n;
                    destinationIndex += n;
                    count -= n;
                }
            }
        }
    }
}
