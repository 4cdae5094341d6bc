using System;
using System.Collections.Generic;

namespace Autodiff.Weaver.Backend;

/// <summary>A fixed-size set of small integers, for liveness over the registers of one method.</summary>
internal sealed class BitSet
{
    private readonly ulong[] words;

    public BitSet(int size) => words = new ulong[(size + 63) / 64];

    public bool Get(int index) => (words[index >> 6] & (1UL << index)) != 0;

    public void Set(int index) => words[index >> 6] |= 1UL << index;

    public void Clear(int index) => words[index >> 6] &= ~(1UL << index);

    public void CopyFrom(BitSet other) => Array.Copy(other.words, words, words.Length);

    /// <summary>Adds every member of <paramref name="other"/>; true when this set grew.</summary>
    public bool UnionWith(BitSet other)
    {
        var changed = false;
        for (var i = 0; i < words.Length; i++)
        {
            var merged = words[i] | other.words[i];
            changed |= merged != words[i];
            words[i] = merged;
        }
        return changed;
    }

    /// <summary>Adds the members of <paramref name="other"/> that are not in <paramref name="except"/>.</summary>
    public void UnionWithExcept(BitSet other, BitSet except)
    {
        for (var i = 0; i < words.Length; i++)
            words[i] |= other.words[i] & ~except.words[i];
    }

    public bool SetEquals(BitSet other)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i] != other.words[i])
                return false;
        }
        return true;
    }

    public IEnumerable<int> Members()
    {
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            while (word != 0)
            {
                var bit = TrailingZeroCount(word);
                yield return i * 64 + bit;
                word &= word - 1;
            }
        }
    }

    private static int TrailingZeroCount(ulong word)
    {
        var count = 0;
        while ((word & 1) == 0)
        {
            word >>= 1;
            count++;
        }
        return count;
    }
}
