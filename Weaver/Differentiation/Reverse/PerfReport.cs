using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Pipeline;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// What a derivative caches and why (flag PrintPerf, <c>&lt;method&gt;.perf.txt</c>): each value the reverse
/// sweep reads from the forward sweep, the partials that need it, where it is kept (stack slot or pooled
/// tape) and how that storage is sized. Blocks are named as in the IR dumps (bbN in the primal's order).
/// </summary>
public sealed class PerfReport
{
    private readonly IrMethod primal;
    private readonly List<string> summary = new();
    private readonly Dictionary<Value, List<Instruction>> readers = new();
    private readonly List<(string What, string Storage)> entries = new();
    private readonly List<string> recomputed = new();

    public PerfReport(IrMethod primal, string strategy)
    {
        this.primal = primal;
        summary.Add(strategy);
    }

    /// <summary>Notes that <paramref name="reader"/>'s partials read <paramref name="value"/> in the reverse sweep.</summary>
    public void ReadBy(Value value, Instruction reader)
    {
        if (!readers.TryGetValue(value, out var list))
            readers[value] = list = new List<Instruction>();
        list.Add(reader);
    }

    public void Cached(Instruction value, string storage)
    {
        var needed = readers.TryGetValue(value, out var list)
            ? string.Join("; ", list.Distinct().Select(reader => $"the partials of {Describe(reader)}, which read {Role(value, reader)}"))
            : "the reverse sweep";
        entries.Add(($"{Describe(value)}\n    needed by: {needed}", storage));
    }

    public void Recomputed(Instruction value) => recomputed.Add(Describe(value));

    public void RecordsPath(Block merge, int predecessors, string storage) =>
        entries.Add(($"path at {BlockName(merge)}: which of its {predecessors} predecessors ran (int32)", storage));

    public void Note(string line) => summary.Add(line);

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("perf: ").Append(primal.Source?.FullName ?? primal.Name).Append('\n');
        foreach (var line in summary)
            text.Append(line).Append('\n');
        text.Append(entries.Count == 0 ? "cached: nothing\n" : $"cached: {entries.Count}\n");
        foreach (var (what, storage) in entries)
            text.Append("- ").Append(what).Append("\n    storage: ").Append(storage).Append('\n');
        if (recomputed.Count > 0)
            text.Append($"recomputed in the reverse sweep (pure, over read-only arrays and loop counters): {recomputed.Count}\n");
        foreach (var what in recomputed)
            text.Append("- ").Append(what).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Writes the report, as <c>&lt;primal&gt;.&lt;derivative&gt;.perf.txt</c> (one per request: a forward and a reverse
    /// derivative of one method each get theirs), when PrintPerf is set and a dump directory is configured.
    /// </summary>
    public void WriteRequested(WeaverOptions options, string derivative)
    {
        if (options.DumpDirectory == null || (options.Flags & WeaverFlags.PrintPerf) == 0)
            return;
        Directory.CreateDirectory(options.DumpDirectory);
        var name = new string((primal.Name + "." + derivative + ".perf.txt").Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c).ToArray());
        File.WriteAllText(System.IO.Path.Combine(options.DumpDirectory, name), Render());
    }

    public string BlockName(Block block) => "bb" + primal.Blocks.IndexOf(block);

    private static string Role(Value value, Instruction reader)
    {
        if (value == reader)
            return "its result";
        var positions = reader.Operands.Select((operand, i) => (operand, i)).Where(p => p.operand == value).Select(p => (p.i + 1).ToString()).ToList();
        return positions.Count == 0 ? "it to address memory" : (positions.Count == 1 ? "operand " : "operands ") + string.Join(" and ", positions);
    }

    private string Describe(Instruction instruction)
    {
        var what = instruction.Member is Mono.Cecil.MemberReference member ? member.DeclaringType.Name + "." + member.Name : instruction.Info.Mnemonic;
        var name = instruction.Name is { Length: > 0 } n ? $" '{n}'" : "";
        var line = SourceLocation.From(instruction.DebugLocation) is { } location ? $", line {location.Line}" : "";
        return $"{what}{name} ({IrPrinter.TypeName(instruction.Type)}) in {BlockName(instruction.Block!)}{line}";
    }
}
