using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Autodiff.Benchmarks.Data;

/// <summary>
/// A hand-tracking problem in ADBench's simple form: a skinned hand model (hand/model: bones with parent, base
/// relative transform and inverse base absolute transform, row-major 4×4; vertices with skinning weights) and
/// n correspondences of a model vertex to a measured 3-D point; the unknowns are 26 pose parameters θ.
/// </summary>
public sealed class HandInput
{
    private HandInput(
        string[] boneNames, int[] parents, double[] baseRelatives, double[] inverseBaseAbsolutes, double[] basePositions,
        double[] weights, int[] correspondences, double[] points, double[] theta)
    {
        BoneNames = boneNames;
        Parents = parents;
        BaseRelatives = baseRelatives;
        InverseBaseAbsolutes = inverseBaseAbsolutes;
        BasePositions = basePositions;
        Weights = weights;
        Correspondences = correspondences;
        Points = points;
        Theta = theta;
    }

    public string[] BoneNames { get; }

    /// <summary>Per bone its parent's index, −1 for the root; parents come before children.</summary>
    public int[] Parents { get; }

    /// <summary>Per bone a row-major 4×4 matrix (16 entries).</summary>
    public double[] BaseRelatives { get; }

    /// <summary>Per bone a row-major 4×4 matrix (16 entries).</summary>
    public double[] InverseBaseAbsolutes { get; }

    /// <summary>Per vertex its rest position (3 entries).</summary>
    public double[] BasePositions { get; }

    /// <summary>Skinning weights, bone-major: Weights[bone · vertexCount + vertex].</summary>
    public double[] Weights { get; }

    public int[] Correspondences { get; }

    /// <summary>Per correspondence the measured point (3 entries).</summary>
    public double[] Points { get; }

    public double[] Theta { get; }

    public int BoneCount => BoneNames.Length;

    public int VertexCount => BasePositions.Length / 3;

    /// <summary>Residuals: 3 per correspondence.</summary>
    public int ResidualCount => 3 * Correspondences.Length;

    /// <summary>Reads the model in <paramref name="modelDirectory"/> and a simple-mode instance (docs/FileFormat.md).</summary>
    public static HandInput Load(string modelDirectory, string instancePath)
    {
        var bones = File.ReadAllLines(Path.Combine(modelDirectory, "bones.txt")).Where(line => line.Length > 0).ToArray();
        var names = new string[bones.Length];
        var parents = new int[bones.Length];
        var relatives = new double[16 * bones.Length];
        var inverseAbsolutes = new double[16 * bones.Length];
        for (int b = 0; b < bones.Length; b++)
        {
            string[] fields = bones[b].Split(':');
            names[b] = fields[0];
            parents[b] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            for (int e = 0; e < 16; e++)
            {
                relatives[16 * b + e] = Number(fields[2 + e]);
                inverseAbsolutes[16 * b + e] = Number(fields[18 + e]);
            }
        }

        var vertices = File.ReadAllLines(Path.Combine(modelDirectory, "vertices.txt")).Where(line => line.Length > 0).ToArray();
        var positions = new double[3 * vertices.Length];
        var weights = new double[bones.Length * vertices.Length];
        for (int v = 0; v < vertices.Length; v++)
        {
            string[] fields = vertices[v].Split(':');
            for (int j = 0; j < 3; j++)
            {
                positions[3 * v + j] = Number(fields[j]);
            }

            // Fields 3–7 are the normal and texture coordinates, which the objective does not use.
            int influences = int.Parse(fields[8], CultureInfo.InvariantCulture);
            for (int i = 0; i < influences; i++)
            {
                int bone = int.Parse(fields[9 + 2 * i], CultureInfo.InvariantCulture);
                weights[bone * vertices.Length + v] = Number(fields[10 + 2 * i]);
            }
        }

        var reader = new TokenReader(instancePath);
        int pointCount = reader.Int();
        int thetaCount = reader.Int();
        var correspondences = new int[pointCount];
        var points = new double[3 * pointCount];
        for (int i = 0; i < pointCount; i++)
        {
            correspondences[i] = reader.Int();
            for (int j = 0; j < 3; j++)
            {
                points[3 * i + j] = reader.Double();
            }
        }

        double[] theta = reader.Doubles(thetaCount);
        return new HandInput(names, parents, relatives, inverseAbsolutes, positions, weights, correspondences, points, theta);
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
