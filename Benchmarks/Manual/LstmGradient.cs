using System;
using Autodiff.Benchmarks.Data;

namespace Autodiff.Benchmarks.Manual;

/// <summary>
/// The LSTM loss's gradient by hand: a forward pass that records, per step, layer and cell, the gate values and
/// the states they read, then back-propagation through time. Cell i of every layer reads only element i below, so
/// adjoints flow per cell: the output adjoint of a step is −(goldᵢ − Σgold·pᵢ)/count with pᵢ = eʸⁱ/(Σeʸ + 2),
/// and the hidden/cell adjoints carried from step t+1 meet the ones arriving from the layer above at step t.
/// The tape is allocated once per instance, so <see cref="Evaluate"/> allocates nothing.
/// </summary>
public sealed class LstmGradient
{
    private const int Recorded = 8;
    private const int Input = 0;
    private const int HiddenBefore = 1;
    private const int CellBefore = 2;
    private const int Forget = 3;
    private const int InputGate = 4;
    private const int OutputGate = 5;
    private const int Change = 6;
    private const int TanhCell = 7;

    private readonly LstmInput input;
    private readonly double[] tape;
    private readonly double[] probabilities;
    private readonly double[] state;
    private readonly double[] hiddenAdjoint;
    private readonly double[] cellAdjoint;

    public LstmGradient(LstmInput input)
    {
        this.input = input;
        tape = new double[(input.C - 1) * input.L * input.B * Recorded];
        probabilities = new double[(input.C - 1) * input.B];
        state = new double[2 * input.L * input.B];
        hiddenAdjoint = new double[input.L * input.B];
        cellAdjoint = new double[input.L * input.B];
    }

    /// <summary>Writes the gradient (main, then extra parameters) into <paramref name="gradient"/> and returns the loss.</summary>
    public double Evaluate(double[] mainParams, double[] extraParams, double[] gradient)
    {
        int l = input.L;
        int c = input.C;
        int b = input.B;
        double[] sequence = input.Sequence;
        input.State.CopyTo(state, 0);
        double total = 0;
        for (int t = 0; t < c - 1; t++)
        {
            double sumExp = 0;
            for (int i = 0; i < b; i++)
            {
                double value = sequence[t * b + i] * extraParams[i];
                for (int layer = 0; layer < l; layer++)
                {
                    int weights = 8 * b * layer;
                    int biases = weights + 4 * b;
                    int hidden = 2 * b * layer + i;
                    int cell = hidden + b;
                    int record = ((t * l + layer) * b + i) * Recorded;
                    double forget = Sigmoid(value * mainParams[weights + i] + mainParams[biases + i]);
                    double inputGate = Sigmoid(state[hidden] * mainParams[weights + b + i] + mainParams[biases + b + i]);
                    double outputGate = Sigmoid(value * mainParams[weights + 2 * b + i] + mainParams[biases + 2 * b + i]);
                    double change = Math.Tanh(state[hidden] * mainParams[weights + 3 * b + i] + mainParams[biases + 3 * b + i]);
                    tape[record + Input] = value;
                    tape[record + HiddenBefore] = state[hidden];
                    tape[record + CellBefore] = state[cell];
                    tape[record + Forget] = forget;
                    tape[record + InputGate] = inputGate;
                    tape[record + OutputGate] = outputGate;
                    tape[record + Change] = change;
                    state[cell] = state[cell] * forget + inputGate * change;
                    double tanhCell = Math.Tanh(state[cell]);
                    tape[record + TanhCell] = tanhCell;
                    state[hidden] = outputGate * tanhCell;
                    value = state[hidden];
                }

                double prediction = value * extraParams[b + i] + extraParams[2 * b + i];
                probabilities[t * b + i] = prediction;
                sumExp += Math.Exp(prediction);
            }

            double logSumExp = Math.Log(sumExp + 2);
            for (int i = 0; i < b; i++)
            {
                double prediction = probabilities[t * b + i];
                total += sequence[(t + 1) * b + i] * (prediction - logSumExp);
                probabilities[t * b + i] = Math.Exp(prediction - logSumExp);
            }
        }

        int count = (c - 1) * b;
        Array.Clear(gradient);
        Array.Clear(hiddenAdjoint);
        Array.Clear(cellAdjoint);
        var gradMain = gradient.AsSpan(0, mainParams.Length);
        var gradExtra = gradient.AsSpan(mainParams.Length, extraParams.Length);
        for (int t = c - 2; t >= 0; t--)
        {
            double goldSum = 0;
            for (int i = 0; i < b; i++)
            {
                goldSum += sequence[(t + 1) * b + i];
            }

            for (int i = 0; i < b; i++)
            {
                double predictionAdjoint = -(sequence[(t + 1) * b + i] - goldSum * probabilities[t * b + i]) / count;
                int top = ((t * l + l - 1) * b + i) * Recorded;
                gradExtra[b + i] += predictionAdjoint * tape[top + OutputGate] * tape[top + TanhCell];
                gradExtra[2 * b + i] += predictionAdjoint;
                double valueAdjoint = predictionAdjoint * extraParams[b + i];
                for (int layer = l - 1; layer >= 0; layer--)
                {
                    int weights = 8 * b * layer;
                    int biases = weights + 4 * b;
                    int record = ((t * l + layer) * b + i) * Recorded;
                    int carried = layer * b + i;
                    double hiddenBar = hiddenAdjoint[carried] + valueAdjoint;
                    double forget = tape[record + Forget];
                    double inputGate = tape[record + InputGate];
                    double outputGate = tape[record + OutputGate];
                    double change = tape[record + Change];
                    double tanhCell = tape[record + TanhCell];
                    double layerInput = tape[record + Input];
                    double hiddenBefore = tape[record + HiddenBefore];
                    double cellBar = cellAdjoint[carried] + hiddenBar * outputGate * (1 - tanhCell * tanhCell);
                    double forgetBar = cellBar * tape[record + CellBefore] * forget * (1 - forget);
                    double inputGateBar = cellBar * change * inputGate * (1 - inputGate);
                    double outputGateBar = hiddenBar * tanhCell * outputGate * (1 - outputGate);
                    double changeBar = cellBar * inputGate * (1 - change * change);
                    gradMain[weights + i] += forgetBar * layerInput;
                    gradMain[biases + i] += forgetBar;
                    gradMain[weights + b + i] += inputGateBar * hiddenBefore;
                    gradMain[biases + b + i] += inputGateBar;
                    gradMain[weights + 2 * b + i] += outputGateBar * layerInput;
                    gradMain[biases + 2 * b + i] += outputGateBar;
                    gradMain[weights + 3 * b + i] += changeBar * hiddenBefore;
                    gradMain[biases + 3 * b + i] += changeBar;
                    cellAdjoint[carried] = cellBar * forget;
                    hiddenAdjoint[carried] = inputGateBar * mainParams[weights + b + i] + changeBar * mainParams[weights + 3 * b + i];
                    valueAdjoint = forgetBar * mainParams[weights + i] + outputGateBar * mainParams[weights + 2 * b + i];
                }

                gradExtra[i] += valueAdjoint * sequence[t * b + i];
            }
        }

        return -total / count;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
