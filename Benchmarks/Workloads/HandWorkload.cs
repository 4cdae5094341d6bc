using System;
using System.IO;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.FiniteDifferences;
using Autodiff.Benchmarks.Manual;
using Autodiff.Benchmarks.Objectives;

namespace Autodiff.Benchmarks.Workloads;

/// <summary>
/// Hand tracking (simple model): the residuals and their Jacobian with respect to θ, woven in forward mode (one
/// vector-mode call for all columns), hand-written (<see cref="HandJacobian"/>), by central differences and by MathNet's stencil.
/// Woven and hand-written are checked against ADBench's golden Jacobian of hand/test.txt and against each other,
/// the differences against the woven one, before anything is timed.
/// </summary>
public sealed class HandWorkload : Workload
{
    private const string GoldenCase = "hand/test.txt";

    private readonly HandInput input;
    private readonly double[] theta;
    private readonly double[] residuals;
    private readonly double[][] scratch;
    private readonly double[][][] tangents;
    private readonly double[][] directions;
    private readonly double[][] padded;
    private readonly double[][] columns;
    private readonly double[] above;
    private readonly double[] below;
    private readonly double[] center;
    private readonly double[][] manualColumns;
    private readonly double[][] mathNetColumns;
    private readonly HandJacobian manual;
    private readonly MathNetDifferences mathNet = new();
    private readonly Action<double[], double[]> objective;

    public HandWorkload(string name, string relativePath)
    {
        Name = name;
        input = HandInput.Load(AdbenchDirectory.File("hand/model"), AdbenchDirectory.File(relativePath));
        theta = (double[])input.Theta.Clone();
        residuals = new double[input.ResidualCount];
        int matrices = 16 * input.BoneCount;
        scratch = new[] { new double[3 * (input.BoneCount + 3)], new double[matrices], new double[matrices], new double[matrices] };
        tangents = new[] { Lanes(Hand.JacobianWidth, 3 * (input.BoneCount + 3)), Lanes(Hand.JacobianWidth, matrices), Lanes(Hand.JacobianWidth, matrices), Lanes(Hand.JacobianWidth, matrices) };
        int lanes = (theta.Length + Hand.JacobianWidth - 1) / Hand.JacobianWidth * Hand.JacobianWidth;
        directions = Lanes(lanes, theta.Length);
        padded = Lanes(lanes, input.ResidualCount);
        for (int j = 0; j < theta.Length; j++)
        {
            directions[j][j] = 1;
        }

        columns = new double[theta.Length][];
        for (int j = 0; j < theta.Length; j++)
        {
            columns[j] = new double[input.ResidualCount];
        }

        above = new double[input.ResidualCount];
        below = new double[input.ResidualCount];
        center = new double[input.ResidualCount];
        manualColumns = NewColumns();
        mathNetColumns = NewColumns();
        manual = new HandJacobian(input, theta.Length);
        objective = Evaluate;
        Primal = () => Evaluate(theta, residuals);
        Woven = () => WovenJacobian(columns);
        CentralSubset = () => CentralDifferences.Jacobian(objective, theta, columns, 1, above, below);
        Manual = () => manual.Evaluate(theta, manualColumns);
        MathNetSubset = () => mathNet.Jacobian(objective, theta, mathNetColumns, 1, below, center, above);
    }

    public override string Name { get; }

    public override long Partials => theta.Length;

    public override long SubsetPartials => theta.Length;

    public override Action Primal { get; }

    public override Action Manual { get; }

    public override Action? Woven { get; }

    public override Action CentralSubset { get; }

    public override Action MathNetSubset { get; }

    /// <summary>The residuals at the input's θ.</summary>
    public double[] Residuals()
    {
        var result = new double[input.ResidualCount];
        Evaluate(theta, result);
        return result;
    }

    /// <summary>The Jacobian, column by column (one per θ entry), from the woven forward derivative.</summary>
    public double[][] WovenColumns()
    {
        var result = NewColumns();
        WovenJacobian(result);
        return result;
    }

    /// <summary>The Jacobian, column by column, written by hand.</summary>
    public double[][] ManualColumns()
    {
        var result = NewColumns();
        manual.Evaluate(theta, result);
        return result;
    }

    /// <summary>The Jacobian, column by column, by central differences.</summary>
    public double[][] CentralColumns()
    {
        var result = NewColumns();
        CentralDifferences.Jacobian(objective, (double[])theta.Clone(), result, 1, new double[input.ResidualCount], new double[input.ResidualCount]);
        return result;
    }

    public override string Verify()
    {
        var golden = GoldenValues.Load();
        var reference = new HandWorkload("hand_test", GoldenCase);
        double[][] expected = GoldenRows(golden);
        Agreement.Require($"{GoldenCase} residuals vs golden", Agreement.WorstRho(golden.Vector(GoldenCase, "objective"), reference.Residuals()), Agreement.Exact);
        Agreement.Require($"{GoldenCase} woven Jacobian vs golden", WorstRho(expected, reference.WovenColumns()), Agreement.Exact);
        Agreement.Require($"{GoldenCase} central-difference Jacobian vs golden", WorstRho(expected, reference.CentralColumns()), Agreement.FiniteDifference);
        Agreement.Require($"{GoldenCase} hand-written Jacobian vs golden", WorstRho(expected, reference.ManualColumns()), Agreement.Exact);
        var woven = Transpose(WovenColumns());
        Agreement.Require($"{Name} woven vs hand-written Jacobian", WorstRho(woven, ManualColumns()), Agreement.Exact);
        Agreement.Require($"{Name} central differences vs woven", WorstRho(woven, CentralColumns()), Agreement.FiniteDifference);
        MathNetSubset();
        Agreement.Require($"{Name} MathNet differences vs woven", WorstRho(woven, mathNetColumns), Agreement.FiniteDifference);
        return $"{GoldenCase}: residuals, woven and hand-written Jacobians = golden (ρ ≤ {Agreement.Exact:E0}), central differences ≈ golden; "
            + $"woven = hand-written; central and MathNet differences ≈ woven (ρ ≤ {Agreement.FiniteDifference:E0})";
    }

    /// <summary>golden.json's Jacobian rows of hand/test.txt.</summary>
    public static double[][] GoldenRows(GoldenValues golden) => golden.Matrix(GoldenCase, "jacobian_rows");

    /// <summary>The largest ρ between a Jacobian given by rows and one given by columns.</summary>
    public static double WorstRho(double[][] rows, double[][] columns)
    {
        if (rows.Length == 0 || rows[0].Length != columns.Length || columns[0].Length != rows.Length)
        {
            throw new InvalidDataException($"Jacobian shapes differ: {rows.Length} rows expected, {columns.Length} columns computed.");
        }

        double worst = 0;
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                worst = Math.Max(worst, Agreement.Rho(rows[r][c], columns[c][r]));
            }
        }

        return worst;
    }

    private static double[][] Transpose(double[][] columns)
    {
        var rows = new double[columns[0].Length][];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r] = new double[columns.Length];
            for (int c = 0; c < columns.Length; c++)
            {
                rows[r][c] = columns[c][r];
            }
        }

        return rows;
    }

    /// <summary>The result's columns followed by spare ones, as many as the last call's lanes past θ's end.</summary>
    private double[][] PaddedColumns(double[][] result)
    {
        result.CopyTo(padded, 0);
        return padded;
    }

    private static double[][] Lanes(int count, int length)
    {
        var lanes = new double[count][];
        for (int lane = 0; lane < lanes.Length; lane++)
        {
            lanes[lane] = new double[length];
        }

        return lanes;
    }

    private double[][] NewColumns()
    {
        var result = new double[theta.Length][];
        for (int j = 0; j < theta.Length; j++)
        {
            result[j] = new double[input.ResidualCount];
        }

        return result;
    }

    private void Evaluate(double[] at, double[] output) => Hand.Objective(
        at, input.BoneCount, input.Parents, input.BaseRelatives, input.InverseBaseAbsolutes, input.BasePositions,
        input.Weights, input.VertexCount, input.Correspondences, input.Points, output, scratch[0], scratch[1], scratch[2], scratch[3]);

    /// <summary>
    /// Vector-mode forward calls (DESIGN §1.1) of width <see cref="Hand.JacobianWidth"/>, each along that many unit
    /// directions eⱼ: the lanes share the primal work, and lane j's output tangent is column offset + j. The last
    /// call's lanes past θ's end run along the zero direction into spare columns. Forward mode overwrites output
    /// tangents, so the columns need no zeroing.
    /// </summary>
    private void WovenJacobian(double[][] result)
    {
        for (int offset = 0; offset < theta.Length; offset += Hand.JacobianWidth)
        {
            double[][] columns = offset + Hand.JacobianWidth <= theta.Length ? result : PaddedColumns(result);
            Hand.JacobianOfObjective(
                theta,
                directions[offset], directions[offset + 1], directions[offset + 2], directions[offset + 3],
                input.BoneCount, input.Parents, input.BaseRelatives, input.InverseBaseAbsolutes, input.BasePositions,
                input.Weights, input.VertexCount, input.Correspondences, input.Points,
                residuals,
                columns[offset], columns[offset + 1], columns[offset + 2], columns[offset + 3],
                scratch[0],
                tangents[0][0], tangents[0][1], tangents[0][2], tangents[0][3],
                scratch[1],
                tangents[1][0], tangents[1][1], tangents[1][2], tangents[1][3],
                scratch[2],
                tangents[2][0], tangents[2][1], tangents[2][2], tangents[2][3],
                scratch[3],
                tangents[3][0], tangents[3][1], tangents[3][2], tangents[3][3]);
        }
    }
}
