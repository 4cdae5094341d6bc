using System;
using System.CodeDom.Compiler;

namespace Autodiff.Benchmarks.Objectives;

/// <summary>
/// ADBench's LSTM objective (src/cpp/shared/lstm.h): l layers of b cells with diagonal weights run over a sequence
/// of c characters, predicting each next character; the loss is the mean negative log-likelihood, with ADBench's
/// logsumexp that adds 2 inside the log. Every gate of cell i reads only element i of the layer below, so the
/// prediction of one character runs cell by cell through all layers. One method, no calls to user methods.
/// </summary>
public static class Lstm
{
    /// <summary>
    /// The loss. <paramref name="state"/> is the initial state and is not modified: it is copied into the
    /// caller's scratch array <paramref name="stateWork"/> (2·l·b); <paramref name="prediction"/> (b) is scratch too.
    /// </summary>
    [Autodiff(nameof(GradientOfObjective), Mode.Reverse,
        Activity.Const, Activity.Const, Activity.Const, Activity.Duplicated, Activity.Duplicated, Activity.Const, Activity.Const,
        Activity.Duplicated, Activity.Duplicated, Activity.Active)]
    public static double Objective(
        int l, int c, int b, double[] mainParams, double[] extraParams, double[] state, double[] sequence,
        double[] stateWork, double[] prediction)
    {
        for (int i = 0; i < 2 * l * b; i++)
        {
            stateWork[i] = state[i];
        }

        double total = 0;
        for (int t = 0; t < c - 1; t++)
        {
            for (int i = 0; i < b; i++)
            {
                double input = sequence[t * b + i] * extraParams[i];
                for (int layer = 0; layer < l; layer++)
                {
                    int weights = 8 * b * layer;
                    int biases = weights + 4 * b;
                    int hidden = 2 * b * layer + i;
                    int cell = hidden + b;
                    double forget = 1 / (1 + Math.Exp(-(input * mainParams[weights + i] + mainParams[biases + i])));
                    double inputGate = 1 / (1 + Math.Exp(-(stateWork[hidden] * mainParams[weights + b + i] + mainParams[biases + b + i])));
                    double outputGate = 1 / (1 + Math.Exp(-(input * mainParams[weights + 2 * b + i] + mainParams[biases + 2 * b + i])));
                    double change = Math.Tanh(stateWork[hidden] * mainParams[weights + 3 * b + i] + mainParams[biases + 3 * b + i]);
                    stateWork[cell] = stateWork[cell] * forget + inputGate * change;
                    stateWork[hidden] = outputGate * Math.Tanh(stateWork[cell]);
                    input = stateWork[hidden];
                }

                prediction[i] = input * extraParams[b + i] + extraParams[2 * b + i];
            }

            double sumExp = 0;
            for (int i = 0; i < b; i++)
            {
                sumExp += Math.Exp(prediction[i]);
            }

            double logSumExp = Math.Log(sumExp + 2);
            for (int i = 0; i < b; i++)
            {
                total += sequence[(t + 1) * b + i] * (prediction[i] - logSumExp);
            }
        }

        return -total / ((c - 1) * b);
    }

    /// <summary>
    /// Woven reverse derivative: returns the loss and adds seed·∂loss/∂(main, extra) into their shadows. The scratch
    /// arrays hold active values, so they are Duplicated too: their shadows are scratch for adjoints.
    /// </summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern double GradientOfObjective(
        int l, int c, int b, double[] mainParams, double[] dMainParams, double[] extraParams, double[] dExtraParams,
        double[] state, double[] sequence, double[] stateWork, double[] dStateWork, double[] prediction, double[] dPrediction,
        double seed);
}
