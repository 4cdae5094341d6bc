using System;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.FiniteDifferences;
using Autodiff.Benchmarks.Objectives;

namespace Autodiff.Benchmarks.Workloads;

/// <summary>
/// Bundle adjustment residuals and their Jacobian on one ADBench input. There is no hand-written or woven Jacobian
/// yet, so only the primal and the central-difference loop run; the loop's Jacobian is checked against ADBench's
/// golden Jacobian of ba/test.txt (same code path) before anything is timed.
/// </summary>
public sealed class BaWorkload : Workload
{
    private const int SubsetSize = 4;
    private const string GoldenCase = "ba/test.txt";

    private readonly BaInput input;
    private readonly double[] packed;
    private readonly double[] reprojection;
    private readonly double[] weightError;
    private readonly double[] above;
    private readonly double[] below;
    private readonly double[][] columns;
    private readonly int stride;
    private readonly Action<double[], double[]> residuals;

    public BaWorkload(string name, string relativePath)
    {
        Name = name;
        input = BaInput.Load(AdbenchDirectory.File(relativePath));
        packed = Pack(input);
        reprojection = new double[2 * input.P];
        weightError = new double[input.P];
        above = new double[input.ResidualCount];
        below = new double[input.ResidualCount];
        stride = Math.Max(1, input.ParameterCount / SubsetSize);
        columns = new double[input.ParameterCount][];
        for (int j = 0; j < input.ParameterCount; j++)
        {
            columns[j] = j % stride == 0 ? new double[input.ResidualCount] : Array.Empty<double>();
        }

        residuals = ResidualsOfPacked;
        Primal = () => BundleAdjustment.Objective(
            input.P, input.Cameras, input.Points, input.Weights, input.Observations, input.Features, reprojection, weightError);
        CentralSubset = () => CentralDifferences.Jacobian(residuals, packed, columns, stride, above, below);
    }

    public BaInput Input => input;

    public override string Name { get; }

    public override long Partials => input.ParameterCount;

    public override long SubsetPartials => (input.ParameterCount + stride - 1) / stride;

    public override Action Primal { get; }

    public override Action? Manual => null;

    public override Action? Woven => null;

    public override Action CentralSubset { get; }

    public override Action? MathNetSubset => null;

    /// <summary>All residuals: 2p reprojection errors, then p weight errors.</summary>
    public double[] Residuals()
    {
        var all = new double[input.ResidualCount];
        ResidualsOfPacked((double[])packed.Clone(), all);
        return all;
    }

    /// <summary>The dense Jacobian (rows: residuals; columns: cameras, points, weights) by central differences.</summary>
    public double[,] CentralJacobian()
    {
        var full = new double[input.ParameterCount][];
        for (int j = 0; j < full.Length; j++)
        {
            full[j] = new double[input.ResidualCount];
        }

        CentralDifferences.Jacobian(residuals, (double[])packed.Clone(), full, 1, new double[input.ResidualCount], new double[input.ResidualCount]);
        var dense = new double[input.ResidualCount, input.ParameterCount];
        for (int j = 0; j < full.Length; j++)
        {
            for (int r = 0; r < input.ResidualCount; r++)
            {
                dense[r, j] = full[j][r];
            }
        }

        return dense;
    }

    public override string Verify()
    {
        var golden = GoldenValues.Load();
        var reference = new BaWorkload("ba_test", GoldenCase);
        double[] all = reference.Residuals();
        double[] expectedReprojection = golden.Vector(GoldenCase, "reproj_err_every_observation");
        double expectedWeight = golden.Number(GoldenCase, "w_err_every_observation");
        double worst = 0;
        for (int i = 0; i < reference.input.P; i++)
        {
            worst = Math.Max(worst, Agreement.Rho(expectedReprojection[0], all[2 * i]));
            worst = Math.Max(worst, Agreement.Rho(expectedReprojection[1], all[2 * i + 1]));
            worst = Math.Max(worst, Agreement.Rho(expectedWeight, all[2 * reference.input.P + i]));
        }

        Agreement.Require($"{GoldenCase} residuals vs golden", worst, Agreement.Exact);
        Agreement.Require($"{GoldenCase} central-difference Jacobian vs golden", WorstJacobianRho(golden, reference.CentralJacobian()), Agreement.FiniteDifference);
        return $"{GoldenCase}: residuals = golden (ρ ≤ {Agreement.Exact:E0}), central-difference Jacobian ≈ golden (ρ ≤ {Agreement.FiniteDifference:E0})";
    }

    /// <summary>The largest ρ between golden.json's CSR Jacobian of ba/test.txt and a dense one, zeros included.</summary>
    public static double WorstJacobianRho(GoldenValues golden, double[,] dense)
    {
        int[] rows = golden.Integers(GoldenCase, "jacobian_csr_rows");
        int[] cols = golden.Integers(GoldenCase, "jacobian_csr_cols");
        double[] vals = golden.Vector(GoldenCase, "jacobian_csr_vals");
        var expected = new double[dense.GetLength(0), dense.GetLength(1)];
        for (int r = 0; r + 1 < rows.Length; r++)
        {
            for (int e = rows[r]; e < rows[r + 1]; e++)
            {
                expected[r, cols[e]] = vals[e];
            }
        }

        double worst = 0;
        for (int r = 0; r < dense.GetLength(0); r++)
        {
            for (int c = 0; c < dense.GetLength(1); c++)
            {
                worst = Math.Max(worst, Agreement.Rho(expected[r, c], dense[r, c]));
            }
        }

        return worst;
    }

    private static double[] Pack(BaInput input)
    {
        var all = new double[input.ParameterCount];
        input.Cameras.CopyTo(all, 0);
        input.Points.CopyTo(all, input.Cameras.Length);
        input.Weights.CopyTo(all, input.Cameras.Length + input.Points.Length);
        return all;
    }

    private void ResidualsOfPacked(double[] parameters, double[] output)
    {
        var cameras = parameters.AsSpan(0, input.Cameras.Length).ToArray();
        var points = parameters.AsSpan(input.Cameras.Length, input.Points.Length).ToArray();
        var weights = parameters.AsSpan(input.Cameras.Length + input.Points.Length).ToArray();
        BundleAdjustment.Objective(input.P, cameras, points, weights, input.Observations, input.Features, reprojection, weightError);
        reprojection.CopyTo(output, 0);
        weightError.CopyTo(output, reprojection.Length);
    }
}
