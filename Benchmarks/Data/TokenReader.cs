using System;
using System.Globalization;
using System.IO;

namespace Autodiff.Benchmarks.Data;

/// <summary>Reads whitespace-separated numbers from an ADBench text file, one after another.</summary>
public sealed class TokenReader
{
    private readonly string[] tokens;
    private int next;

    /// <summary>Reads the whole of <paramref name="path"/>; line breaks carry no meaning in these formats.</summary>
    public TokenReader(string path)
    {
        tokens = System.IO.File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Path = path;
    }

    /// <summary>The file being read, for error messages.</summary>
    public string Path { get; }

    /// <summary>The next token as an integer.</summary>
    public int Int() => int.Parse(Take(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>The next token as a double.</summary>
    public double Double() => double.Parse(Take(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The next <paramref name="count"/> tokens as doubles.</summary>
    public double[] Doubles(int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Double();
        }

        return values;
    }

    private string Take()
    {
        if (next >= tokens.Length)
        {
            throw new InvalidDataException($"{Path}: the file ends after {tokens.Length} numbers, more were expected.");
        }

        return tokens[next++];
    }
}
