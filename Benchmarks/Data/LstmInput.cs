namespace Autodiff.Benchmarks.Data;

/// <summary>
/// An LSTM problem in ADBench's layout: l layers of b cells with diagonal weights, a sequence of c characters of
/// b values. <see cref="MainParams"/>: per layer 4b weights (forget, input gate, output gate, change) then 4b biases;
/// <see cref="ExtraParams"/>: input weights, output weights, output biases (b each); <see cref="State"/>: per layer b
/// hidden then b cell values.
/// </summary>
public sealed class LstmInput
{
    private LstmInput(int l, int c, int b, double[] mainParams, double[] extraParams, double[] state, double[] sequence)
    {
        L = l;
        C = c;
        B = b;
        MainParams = mainParams;
        ExtraParams = extraParams;
        State = state;
        Sequence = sequence;
    }

    public int L { get; }
    public int C { get; }
    public int B { get; }
    public double[] MainParams { get; }
    public double[] ExtraParams { get; }
    public double[] State { get; }
    public double[] Sequence { get; }

    /// <summary>Number of parameters of the gradient: main, then extra.</summary>
    public int ParameterCount => MainParams.Length + ExtraParams.Length;

    /// <summary>Reads an ADBench LSTM file (docs/FileFormat.md: "l c b", 2l·4b main, 3b extra, 2l·b state, c·b sequence).</summary>
    public static LstmInput Load(string path)
    {
        var reader = new TokenReader(path);
        int l = reader.Int();
        int c = reader.Int();
        int b = reader.Int();
        double[] mainParams = reader.Doubles(2 * l * 4 * b);
        double[] extraParams = reader.Doubles(3 * b);
        double[] state = reader.Doubles(2 * l * b);
        double[] sequence = reader.Doubles(c * b);
        return new LstmInput(l, c, b, mainParams, extraParams, state, sequence);
    }
}
