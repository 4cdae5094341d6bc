using System;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.FiniteDifferences;
using Autodiff.Benchmarks.Manual;
using Autodiff.Benchmarks.Objectives;

namespace Autodiff.Benchmarks.Workloads;

/// <summary>
/// Bundle adjustment residuals and their sparse Jacobian on one ADBench input: woven (two reverse calls of
/// <see cref="BundleAdjustment.ReprojectionResidual"/> per observation, each giving a row of 15 nonzeros; the weight
/// rows are −2w), hand-written (<see cref="BaJacobian"/>, same layout), by the central-difference loop and by
/// MathNet's stencil. Woven and hand-written are checked against ADBench's golden Jacobian of ba/test.txt (same code
/// paths) and against each other here, finite differences against the woven one, before timing.
/// </summary>
public sealed class BaWorkload : Workload
{
    private const int SubsetSize = 4;
    private const int RowNonzeros = BaInput.CameraSize + 3 + 1;
    private const string GoldenCase = "ba/test.txt";

    private readonly BaInput input;
    private readonly double[] packed;
    private readonly double[] reprojection;
    private readonly double[] weightError;
    private readonly double[] above;
    private readonly double[] below;
    private readonly double[] center;
    private readonly double[][] columns;
    private readonly double[][] mathNetColumns;
    private readonly MathNetDifferences mathNet = new();
    private readonly double[] manualValues;
    private readonly double[] cameraShadow;
    private readonly double[] pointShadow;
    private readonly double[] sparseValues;
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
        center = new double[input.ResidualCount];
        stride = Math.Max(1, input.ParameterCount / SubsetSize);
        columns = SubsetColumns();
        mathNetColumns = SubsetColumns();

        cameraShadow = new double[input.Cameras.Length];
        pointShadow = new double[input.Points.Length];
        sparseValues = new double[RowNonzeros * 2 * input.P + input.P];
        manualValues = new double[sparseValues.Length];
        residuals = ResidualsOfPacked;
        Woven = () => WovenJacobian(sparseValues);
        Manual = () => ManualJacobian(manualValues);
        MathNetSubset = () => mathNet.Jacobian(residuals, packed, mathNetColumns, stride, below, center, above);
        Primal = () => BundleAdjustment.Objective(
            input.P, input.Cameras, input.Points, input.Weights, input.Observations, input.Features, reprojection, weightError);
        CentralSubset = () => CentralDifferences.Jacobian(residuals, packed, columns, stride, above, below);
    }

    public BaInput Input => input;

    public override string Name { get; }

    public override long Partials => input.ParameterCount;

    public override long SubsetPartials => (input.ParameterCount + stride - 1) / stride;

    public override Action Primal { get; }

    public override Action Manual { get; }

    public override Action? Woven { get; }

    public override Action CentralSubset { get; }

    public override Action MathNetSubset { get; }

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

    /// <summary>The woven Jacobian as a dense matrix (rows: residuals; columns: cameras, points, weights).</summary>
    public double[,] WovenJacobian()
    {
        var values = new double[sparseValues.Length];
        WovenJacobian(values);
        return Dense(values);
    }

    /// <summary>The hand-written Jacobian as a dense matrix.</summary>
    public double[,] ManualJacobian()
    {
        var values = new double[sparseValues.Length];
        ManualJacobian(values);
        return Dense(values);
    }

    private double[,] Dense(double[] values)
    {
        var dense = new double[input.ResidualCount, input.ParameterCount];
        for (int r = 0; r < input.ResidualCount; r++)
        {
            for (int j = 0; j < input.ParameterCount; j++)
            {
                dense[r, j] = Entry(values, r, j);
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
        Agreement.Require($"{GoldenCase} woven Jacobian vs golden", WorstJacobianRho(golden, reference.WovenJacobian()), Agreement.Exact);
        Agreement.Require($"{GoldenCase} hand-written Jacobian vs golden", WorstJacobianRho(golden, reference.ManualJacobian()), Agreement.Exact);
        WovenJacobian(sparseValues);
        ManualJacobian(manualValues);
        Agreement.Require($"{Name} woven vs hand-written Jacobian", Agreement.WorstRho(manualValues, sparseValues), Agreement.Exact);
        CentralSubset();
        MathNetSubset();
        Agreement.Require($"{Name} central differences vs woven", WorstColumnRho(columns), Agreement.FiniteDifference);
        Agreement.Require($"{Name} MathNet differences vs woven", WorstColumnRho(mathNetColumns), Agreement.FiniteDifference);
        Agreement.Require($"{GoldenCase} central-difference Jacobian vs golden", WorstJacobianRho(golden, reference.CentralJacobian()), Agreement.FiniteDifference);
        return $"{GoldenCase}: residuals, woven and hand-written Jacobians = golden (ρ ≤ {Agreement.Exact:E0}), central-difference Jacobian ≈ golden; "
            + $"woven = hand-written; {SubsetPartials} central-difference and MathNet columns ≈ woven (ρ ≤ {Agreement.FiniteDifference:E0})";
    }

    private double WorstColumnRho(double[][] differences)
    {
        double worst = 0;
        for (int j = 0; j < input.ParameterCount; j += stride)
        {
            for (int r = 0; r < input.ResidualCount; r++)
            {
                worst = Math.Max(worst, Agreement.Rho(Entry(sparseValues, r, j), differences[j][r]));
            }
        }

        return worst;
    }

    private double[][] SubsetColumns()
    {
        var result = new double[input.ParameterCount][];
        for (int j = 0; j < input.ParameterCount; j++)
        {
            result[j] = j % stride == 0 ? new double[input.ResidualCount] : Array.Empty<double>();
        }

        return result;
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

    /// <summary>
    /// Rows 2i and 2i+1 (observation i) get 15 nonzeros each, in ADBench's order: the camera's 11 parameters, the
    /// point's 3, the weight; row 2p+i gets ∂(1 − wᵢ²)/∂wᵢ = −2wᵢ. The woven derivative adds into the shadows'
    /// camera and point blocks, which are read and zeroed after each call, so a row costs no more than its block.
    /// </summary>
    private void WovenJacobian(double[] values)
    {
        for (int i = 0; i < input.P; i++)
        {
            int camera = BaInput.CameraSize * input.Observations[2 * i];
            int point = 3 * input.Observations[2 * i + 1];
            for (int coordinate = 0; coordinate < 2; coordinate++)
            {
                var (_, weight) = BundleAdjustment.GradientOfReprojectionResidual(
                    input.Cameras, cameraShadow, camera, input.Points, pointShadow, point, input.Weights[i],
                    input.Features[2 * i + coordinate], coordinate, 1.0);
                int row = RowNonzeros * (2 * i + coordinate);
                for (int c = 0; c < BaInput.CameraSize; c++)
                {
                    values[row + c] = cameraShadow[camera + c];
                    cameraShadow[camera + c] = 0;
                }

                for (int c = 0; c < 3; c++)
                {
                    values[row + BaInput.CameraSize + c] = pointShadow[point + c];
                    pointShadow[point + c] = 0;
                }

                values[row + RowNonzeros - 1] = weight;
            }
        }

        for (int i = 0; i < input.P; i++)
        {
            values[RowNonzeros * 2 * input.P + i] = -2 * input.Weights[i];
        }
    }

    private void ManualJacobian(double[] values) =>
        BaJacobian.Evaluate(input.P, input.Cameras, input.Points, input.Weights, input.Observations, input.Features, values);

    /// <summary>Entry (r, j) of the Jacobian held sparsely in <paramref name="values"/> as <see cref="WovenJacobian(double[])"/> lays it out.</summary>
    private double Entry(double[] values, int r, int j)
    {
        int cameraColumns = BaInput.CameraSize * input.N;
        int weightColumns = cameraColumns + 3 * input.M;
        if (r >= 2 * input.P)
        {
            int i = r - 2 * input.P;
            return j == weightColumns + i ? values[RowNonzeros * 2 * input.P + i] : 0;
        }

        int observation = r / 2;
        int row = RowNonzeros * r;
        int camera = BaInput.CameraSize * input.Observations[2 * observation];
        int point = cameraColumns + 3 * input.Observations[2 * observation + 1];
        if (j >= camera && j < camera + BaInput.CameraSize)
        {
            return values[row + j - camera];
        }

        if (j >= point && j < point + 3)
        {
            return values[row + BaInput.CameraSize + j - point];
        }

        return j == weightColumns + observation ? values[row + RowNonzeros - 1] : 0;
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
