using System;
using System.Buffers;
using System.Collections.Generic;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>
    /// The first value seen for each key: what the cross-file rules need (the first connection with a
    /// nickname, an identifier, an account), or a value kept per key and updated in place (a struct,
    /// so 10,000 keys are not 10,000 objects). A hash table like <see cref="Dictionary{TKey, TValue}"/>, but
    /// its entries live in rented segments of 2,048 (48 KB): a <see cref="Dictionary{TKey, TValue}"/> of 10,000
    /// connections puts 240 KB arrays on the large object heap, whose collections (generation 2) made the
    /// cost of a file grow faster than the file. Only the bucket array grows in one piece, 4 bytes per
    /// entry, also rented. Dispose it to give the arrays back.
    /// </summary>
    internal sealed class FirstIndex<TValue> : IDisposable
    {
        private const int SegmentShift = 11;
        private const int SegmentSize = 1 << SegmentShift;

        // An index lives for one merge: its arrays are rented, and given back by Dispose, so merging a
        // 10,000-connection project again allocates none of them.
        private static readonly ArrayPool<Entry> SegmentPool = ArrayPool<Entry>.Create(SegmentSize, 16);

        private readonly StringComparer _comparer;
        private readonly List<Entry[]> _segments = new();
        private int[] _buckets; // 1-based entry indexes; 0 is empty
        private int _bucketMask;
        private int _count;

        public FirstIndex(StringComparer comparer, int capacity = 16)
        {
            _comparer = comparer;
            _buckets = RentBuckets(BucketCountFor(capacity), out _bucketMask);
        }

        /// <summary>The value first added with <paramref name="key"/>, or the default (null) when there is none.</summary>
        public TValue? Find(string key)
        {
            int entry = IndexOf(key, _comparer.GetHashCode(key) & int.MaxValue);
            return entry < 0 ? default : At(entry).Value;
        }

        /// <summary>The value first added with <paramref name="key"/>; or the default (null), and then <paramref name="value"/> is added.</summary>
        public TValue? FirstOrAdd(string key, TValue value)
        {
            ref TValue slot = ref GetOrAdd(key, out bool added);
            if (added)
            {
                slot = value;
                return default;
            }

            return slot;
        }

        /// <summary>
        /// The value kept for <paramref name="key"/>, to read or update in place; when there is none
        /// (<paramref name="added"/>), a default value is added first. The reference is valid until the next key is added.
        /// </summary>
        public ref TValue GetOrAdd(string key, out bool added)
        {
            int hash = _comparer.GetHashCode(key) & int.MaxValue;
            int entry = IndexOf(key, hash);
            added = entry < 0;
            if (!added)
            {
                return ref At(entry).Value;
            }

            if (_count > _bucketMask)
            {
                Rehash();
            }

            GrowSegments();

            ref int bucket = ref _buckets[hash & _bucketMask];
            ref Entry created = ref At(_count);
            created = new Entry { Hash = hash, Key = key, Next = bucket };
            bucket = ++_count;
            return ref created.Value;
        }

        /// <summary>Every key (as first added) and its value, in the order they were added.</summary>
        public IEnumerable<KeyValuePair<string, TValue>> Entries
        {
            get
            {
                for (int i = 0; i < _count; i++)
                {
                    yield return new KeyValuePair<string, TValue>(At(i).Key, At(i).Value);
                }
            }
        }

        /// <summary>The entry of <paramref name="key"/>, or -1.</summary>
        private int IndexOf(string key, int hash)
        {
            for (int i = _buckets[hash & _bucketMask]; i != 0;)
            {
                ref Entry entry = ref At(i - 1);
                if (entry.Hash == hash && _comparer.Equals(entry.Key, key))
                {
                    return i - 1;
                }

                i = entry.Next;
            }

            return -1;
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

        /// <summary>Makes room for one more entry.</summary>
        private void GrowSegments()
        {
            if (_count >> SegmentShift == _segments.Count)
            {
                _segments.Add(SegmentPool.Rent(SegmentSize));
            }
        }

        private void Rehash()
        {
            ArrayPool<int>.Shared.Return(_buckets);
            _buckets = RentBuckets((_bucketMask + 1) * 2, out _bucketMask);
            for (int i = 0; i < _count; i++)
            {
                ref Entry entry = ref At(i);
                ref int bucket = ref _buckets[entry.Hash & _bucketMask];
                entry.Next = bucket;
                bucket = i + 1;
            }
        }

        /// <summary>A cleared bucket array of at least <paramref name="count"/> (a power of two) entries; the first <paramref name="count"/> are used.</summary>
        private static int[] RentBuckets(int count, out int mask)
        {
            int[] buckets = ArrayPool<int>.Shared.Rent(count);
            Array.Clear(buckets, 0, count);
            mask = count - 1;
            return buckets;
        }

        /// <summary>Gives the arrays back, cleared of the keys and values they held.</summary>
        public void Dispose()
        {
            for (int i = 0; i < _segments.Count; i++)
            {
                Array.Clear(_segments[i], 0, Math.Min(SegmentSize, _count - (i << SegmentShift)));
                SegmentPool.Return(_segments[i]);
            }

            _segments.Clear();
            _count = 0;
            if (_buckets.Length > 0)
            {
                ArrayPool<int>.Shared.Return(_buckets);
                _buckets = Array.Empty<int>();
                _bucketMask = -1;
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
