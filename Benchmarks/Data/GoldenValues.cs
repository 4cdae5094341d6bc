using System.IO;
using System.Linq;
using System.Text.Json;

namespace Autodiff.Benchmarks.Data;

/// <summary>The values ADBench's own tests assert, from golden.json, looked up by case (e.g. "gmm/test.txt").</summary>
public sealed class GoldenValues
{
    private readonly JsonElement cases;

    private GoldenValues(JsonElement cases) => this.cases = cases;

    /// <summary>golden.json of the adbench folder.</summary>
    public static GoldenValues Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(AdbenchDirectory.File("golden.json")));
        return new GoldenValues(document.RootElement.GetProperty("cases").Clone());
    }

    /// <summary>A number of a case, e.g. ("gmm/test.txt", "objective").</summary>
    public double Number(string caseName, string field) => cases.GetProperty(caseName).GetProperty(field).GetDouble();

    /// <summary>A vector of a case, e.g. ("lstm/lstm_l2_c1024.txt", "gradient").</summary>
    public double[] Vector(string caseName, string field) =>
        cases.GetProperty(caseName).GetProperty(field).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>An integer vector of a case, e.g. ("ba/test.txt", "jacobian_csr_rows").</summary>
    public int[] Integers(string caseName, string field) =>
        cases.GetProperty(caseName).GetProperty(field).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>A matrix of a case given as a list of rows, e.g. ("hand/test.txt", "jacobian_rows").</summary>
    public double[][] Matrix(string caseName, string field) =>
        cases.GetProperty(caseName).GetProperty(field).EnumerateArray()
            .Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
}
