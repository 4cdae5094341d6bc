namespace Autodiff.Benchmarks.Data;

/// <summary>
/// A bundle adjustment problem in ADBench's layout: n cameras of 11 parameters (Rodrigues rotation 3, centre 3,
/// focal length, principal point 2, radial distortion 2), m points of 3, p observations each with a weight and a
/// 2-D feature. Observation i sees camera i mod n and point i mod m.
/// </summary>
public sealed class BaInput
{
    /// <summary>Parameters per camera.</summary>
    public const int CameraSize = 11;

    private BaInput(int n, int m, int p, double[] cameras, double[] points, double[] weights, int[] observations, double[] features)
    {
        N = n;
        M = m;
        P = p;
        Cameras = cameras;
        Points = points;
        Weights = weights;
        Observations = observations;
        Features = features;
    }

    public int N { get; }
    public int M { get; }
    public int P { get; }
    public double[] Cameras { get; }
    public double[] Points { get; }
    public double[] Weights { get; }

    /// <summary>Per observation its camera index, then its point index.</summary>
    public int[] Observations { get; }

    public double[] Features { get; }

    /// <summary>Residuals: 2 reprojection errors per observation, then one weight error per observation.</summary>
    public int ResidualCount => 3 * P;

    /// <summary>Columns of the Jacobian: cameras, points, weights.</summary>
    public int ParameterCount => CameraSize * N + 3 * M + P;

    /// <summary>
    /// Reads an ADBench BA file ("n m p", one camera, one point, one weight, one feature) and replicates the single
    /// camera, point, weight and feature as ADBench does.
    /// </summary>
    public static BaInput Load(string path)
    {
        var reader = new TokenReader(path);
        int n = reader.Int();
        int m = reader.Int();
        int p = reader.Int();
        double[] camera = reader.Doubles(CameraSize);
        double[] point = reader.Doubles(3);
        double weight = reader.Double();
        double[] feature = reader.Doubles(2);

        var cameras = new double[CameraSize * n];
        for (int i = 0; i < n; i++)
        {
            camera.CopyTo(cameras, CameraSize * i);
        }

        var points = new double[3 * m];
        for (int i = 0; i < m; i++)
        {
            point.CopyTo(points, 3 * i);
        }

        var weights = new double[p];
        var observations = new int[2 * p];
        var features = new double[2 * p];
        for (int i = 0; i < p; i++)
        {
            weights[i] = weight;
            observations[2 * i] = i % n;
            observations[2 * i + 1] = i % m;
            features[2 * i] = feature[0];
            features[2 * i + 1] = feature[1];
        }

        return new BaInput(n, m, p, cameras, points, weights, observations, features);
    }
}
