using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
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

        /// <summary>The content as UTF-8 source text; large texts are copied in chunks, never as one string.</summary>
        public SourceText ToSourceText() => SourceText.From(new Reader(this), Length, Encoding.UTF8);

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

        /// <summary>Reads the chunks in order, for <see cref="SourceText.From(TextReader, int, Encoding, SourceHashAlgorithm)"/>.</summary>
        private sealed class Reader : TextReader
        {
            private readonly CharBuffer _buffer;
            private int _position;

            public Reader(CharBuffer buffer) => _buffer = buffer;

            public override int Peek() => _position < _buffer.Length ? At(_position) : -1;

            public override int Read() => _position < _buffer.Length ? At(_position++) : -1;

            public override int Read(char[] buffer, int index, int count)
            {
                int total = 0;
                while (count > 0 && _position < _buffer.Length)
                {
                    int chunk = _position / ChunkSize;
                    int offset = _position % ChunkSize;
                    char[] source = chunk < _buffer._full.Count ? _buffer._full[chunk] : _buffer._current;
                    int available = (chunk < _buffer._full.Count ? ChunkSize : _buffer._used) - offset;
                    int n = Math.Min(count, available);
                    Array.Copy(source, offset, buffer, index, n);
                    _position += n;
                    index += n;
                    count -= n;
                    total += n;
                }

                return total;
            }

            private char At(int position)
            {
                int chunk = position / ChunkSize;
                return (chunk < _buffer._full.Count ? _buffer._full[chunk] : _buffer._current)[position % ChunkSize];
            }
        }
    }
}
