using System;
using System.Collections.Generic;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>
    /// The first value seen for each key: what the cross-file rules need (the first connection with a
    /// nickname, an identifier, an account). A hash table like <see cref="Dictionary{TKey, TValue}"/>, but
    /// its entries live in segments of 2,048 (48 KB): a <see cref="Dictionary{TKey, TValue}"/> of 10,000
    /// connections puts 240 KB arrays on the large object heap, whose collections (generation 2) made the
    /// cost of a file grow faster than the file. Only the bucket array grows in one piece, 4 bytes per
    /// entry: it stays below the large object heap up to 16,384 entries.
    /// </summary>
    internal sealed class FirstIndex<TValue>
        where TValue : class
    {
        private const int SegmentShift = 11;
        private const int SegmentSize = 1 << SegmentShift;

        private readonly StringComparer _comparer;
        private readonly int _capacity;
        private readonly List<Entry[]> _segments = new();
        private int[] _buckets; // 1-based entry indexes; 0 is empty
        private int _count;

        public FirstIndex(StringComparer comparer, int capacity = 16)
        {
            _comparer = comparer;
            _capacity = capacity;
            _buckets = new int[BucketCountFor(capacity)];
        }

        /// <summary>The value first added with <paramref name="key"/>, or null.</summary>
        public TValue? Find(string key) => Find(key, _comparer.GetHashCode(key) & int.MaxValue);

        /// <summary>The value first added with <paramref name="key"/>; or null, and then <paramref name="value"/> is added.</summary>
        public TValue? FirstOrAdd(string key, TValue value)
        {
            int hash = _comparer.GetHashCode(key) & int.MaxValue;
            if (Find(key, hash) is { } first)
            {
                return first;
            }

            if (_count == _buckets.Length)
            {
                Rehash();
            }

            GrowSegments();

            ref int bucket = ref _buckets[hash & (_buckets.Length - 1)];
            At(_count) = new Entry { Hash = hash, Key = key, Value = value, Next = bucket };
            bucket = ++_count;
            return null;
        }

        /// <summary>Every value, in the order they were added.</summary>
        public IEnumerable<TValue> Values
        {
            get
            {
                for (int i = 0; i < _count; i++)
                {
                    yield return At(i).Value;
                }
            }
        }

        private TValue? Find(string key, int hash)
        {
            for (int i = _buckets[hash & (_buckets.Length - 1)]; i != 0;)
            {
                ref Entry entry = ref At(i - 1);
                if (entry.Hash == hash && _comparer.Equals(entry.Key, key))
                {
                    return entry.Value;
                }

                i = entry.Next;
            }

            return null;
        }

        private static int BucketCountFor(int capacity)
        {
            int size = 16;
            while (size < capacity && size < (1 << 30))
            {
                size <<= 1;
            }

            return size;
        }

        private ref Entry At(int index) => ref _segments[index >> SegmentShift][index & (SegmentSize - 1)];

        /// <summary>Makes room for one more entry: the first segment grows as a list does, up to a full segment.</summary>
        private void GrowSegments()
        {
            int segment = _count >> SegmentShift;
            int offset = _count & (SegmentSize - 1);
            if (segment == _segments.Count)
            {
                _segments.Add(new Entry[segment == 0 ? Math.Min(SegmentSize, Math.Max(4, _capacity)) : SegmentSize]);
            }
            else if (offset == _segments[segment].Length)
            {
                var grown = new Entry[Math.Min(SegmentSize, offset * 2)];
                Array.Copy(_segments[segment], grown, offset);
                _segments[segment] = grown;
            }
        }

        private void Rehash()
        {
            _buckets = new int[_buckets.Length * 2];
            for (int i = 0; i < _count; i++)
            {
                ref Entry entry = ref At(i);
                ref int bucket = ref _buckets[entry.Hash & (_buckets.Length - 1)];
                entry.Next = bucket;
                bucket = i + 1;
            }
        }

        private struct Entry
        {
            public int Hash;
            public int Next;
            public string Key;
            public TValue Value;
        }
    }
}
