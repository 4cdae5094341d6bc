using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir.Construction;

namespace Autodiff.Weaver.Ir;

/// <summary>
/// Checks the invariants every pass must keep (ILSpy's habit: verify after each transform in tests):
/// block structure, phi placement, operand and use-list consistency, SSA dominance over normal and
/// exceptional edges, region discipline and basic operand typing.
/// </summary>
public static class IrVerifier
{
    /// <summary>Every violated invariant, one message each; empty when the method is well formed.</summary>
    public static IReadOnlyList<string> Verify(IrMethod method) => new Checker(method).Run();

    /// <summary>Throws <see cref="InvalidOperationException"/> listing all problems and the printed IR.</summary>
    public static void Check(IrMethod method)
    {
        var problems = Verify(method);
        if (problems.Count == 0)
            return;
        string printed;
        try
        {
            printed = IrPrinter.Print(method);
        }
        catch (Exception e) when (e is KeyNotFoundException or NullReferenceException or InvalidOperationException)
        {
            printed = "(the IR cannot be printed: " + e.Message + ")";
        }
        throw new InvalidOperationException(
            $"IR of {method.Name} is invalid:\n  " + string.Join("\n  ", problems) + "\n" + printed);
    }

    private sealed class Checker
    {
        private readonly IrMethod method;
        private readonly List<string> problems = new();
        private readonly HashSet<Block> blocks;
        private readonly HashSet<Parameter> parameters;
        private readonly Dictionary<Instruction, (Block Block, int Index)> positions = new();
        private readonly Dictionary<Block, string> blockNames = new();
        private readonly Dictionary<Block, List<Block>> predecessors = new();

        public Checker(IrMethod method)
        {
            this.method = method;
            blocks = new HashSet<Block>(method.Blocks);
            parameters = new HashSet<Parameter>(method.Parameters);
            foreach (var block in method.Blocks)
                predecessors[block] = new List<Block>();
            foreach (var block in method.Blocks)
            {
                foreach (var successor in block.Successors.Distinct().Where(predecessors.ContainsKey))
                    predecessors[successor].Add(block);
            }
            for (var b = 0; b < method.Blocks.Count; b++)
            {
                blockNames[method.Blocks[b]] = "bb" + b;
                for (var i = 0; i < method.Blocks[b].Instructions.Count; i++)
                    positions[method.Blocks[b].Instructions[i]] = (method.Blocks[b], i);
            }
        }

        public List<string> Run()
        {
            if (method.Blocks.Count == 0)
            {
                problems.Add("the method has no blocks");
                return problems;
            }
            foreach (var block in method.Blocks)
                CheckBlockStructure(block);
            CheckUseLists();
            if (problems.Count > 0)
                return problems;
            CheckRegions();
            var dominators = DominatorTree.Compute(method);
            foreach (var block in method.Blocks)
            {
                foreach (var instruction in block.Instructions)
                {
                    CheckOperands(instruction, dominators);
                    CheckControlFlow(instruction);
                    CheckTypes(instruction);
                }
            }
            return problems;
        }

        private void CheckBlockStructure(Block block)
        {
            var name = blockNames[block];
            if (!ReferenceEquals(block.Method, method))
                problems.Add($"{name} belongs to another method");
            if (block.Region != null && !method.Regions.Contains(block.Region))
                problems.Add($"{name} is in a region the method does not list");
            if (block.Instructions.Count == 0 || !block.Instructions[block.Instructions.Count - 1].IsTerminator)
                problems.Add($"{name} does not end with a terminator");

            var phisDone = false;
            for (var i = 0; i < block.Instructions.Count; i++)
            {
                var instruction = block.Instructions[i];
                var at = $"{name}[{i}] {instruction.Info.Mnemonic}";
                if (!ReferenceEquals(instruction.Block, block))
                    problems.Add($"{at}: Instruction.Block does not point to its block");
                if (instruction.IsTerminator && i != block.Instructions.Count - 1)
                    problems.Add($"{at}: terminator before the end of the block");
                if (instruction.Opcode == Opcode.Phi)
                {
                    if (phisDone)
                        problems.Add($"{at}: phi after a non-phi instruction");
                    CheckPhiIncoming(block, instruction, at);
                }
                else
                {
                    phisDone = true;
                }
                if (instruction.Opcode == Opcode.StackSlot && !ReferenceEquals(block, method.Entry))
                    problems.Add($"{at}: stack slot outside the entry block");
                if (instruction.Opcode == Opcode.ExceptionObject
                    && (i != 0 || block.Region == null || !ReferenceEquals(block.Region.Entry, block)
                        || block.Region.Kind is not (RegionKind.Catch or RegionKind.Filter or RegionKind.FilteredCatch)))
                {
                    problems.Add($"{at}: exception object is not the first instruction of a catch or filter entry");
                }
                foreach (var target in instruction.Targets)
                {
                    if (!blocks.Contains(target))
                        problems.Add($"{at}: targets a block that is not in the method");
                }
            }
        }

        private void CheckPhiIncoming(Block block, Instruction phi, string at)
        {
            if (phi.Targets.Length != phi.Operands.Count)
            {
                problems.Add($"{at}: {phi.Operands.Count} incoming values but {phi.Targets.Length} incoming blocks");
                return;
            }
            var incomingBlocks = predecessors[block];
            var seen = new HashSet<Block>();
            foreach (var incoming in phi.Targets)
            {
                if (!incomingBlocks.Contains(incoming))
                    problems.Add($"{at}: incoming block {Name(incoming)} is not a predecessor");
                else if (!seen.Add(incoming))
                    problems.Add($"{at}: incoming block {Name(incoming)} appears twice");
            }
            foreach (var predecessor in incomingBlocks.Where(p => !seen.Contains(p)))
                problems.Add($"{at}: no incoming value for predecessor {Name(predecessor)}");
        }

        private void CheckUseLists()
        {
            foreach (var pair in positions)
            {
                var instruction = pair.Key;
                var (block, index) = pair.Value;
                for (var i = 0; i < instruction.Operands.Count; i++)
                {
                    if (!instruction.Operands[i].Uses.Contains(new Use(instruction, i)))
                        problems.Add($"{blockNames[block]}[{index}] {instruction.Info.Mnemonic}: operand {i} does not list this use");
                }
            }
            var values = positions.Keys.Cast<Value>().Concat(method.Parameters);
            foreach (var value in values)
            {
                foreach (var use in value.Uses)
                {
                    if (!positions.ContainsKey(use.User))
                        problems.Add($"{Describe(value)} is used by an instruction that is not in the method");
                    else if (use.Index >= use.User.Operands.Count || !ReferenceEquals(use.User.Operands[use.Index], value))
                        problems.Add($"{Describe(value)} lists a use that its user does not have");
                }
            }
        }

        private void CheckOperands(Instruction instruction, DominatorTree dominators)
        {
            var (block, index) = positions[instruction];
            var at = $"{blockNames[block]}[{index}] {instruction.Info.Mnemonic}";
            for (var i = 0; i < instruction.Operands.Count; i++)
            {
                var operand = instruction.Operands[i];
                switch (operand)
                {
                    case Constant:
                        continue;
                    case Parameter parameter when parameters.Contains(parameter):
                        continue;
                    case Parameter:
                        problems.Add($"{at}: operand {i} is a parameter of another method");
                        continue;
                    case Instruction definition when !positions.ContainsKey(definition):
                        problems.Add($"{at}: operand {i} is an instruction that is not in the method");
                        continue;
                }
                var defined = (Instruction)operand;
                var (definitionBlock, definitionIndex) = positions[defined];
                // A phi uses its operand at the end of the incoming block.
                var useBlock = instruction.Opcode == Opcode.Phi ? instruction.Targets[i] : block;
                if (!dominators.IsReachable(useBlock))
                    continue;
                var dominates = ReferenceEquals(definitionBlock, useBlock)
                    ? instruction.Opcode == Opcode.Phi || definitionIndex < index
                    : dominators.Dominates(definitionBlock, useBlock);
                if (!dominates)
                    problems.Add($"{at}: operand {i} ({Describe(defined)}) does not dominate its use");
                if (definitionBlock.Region != null && !definitionBlock.Region.Contains(useBlock.Region))
                    problems.Add($"{at}: operand {i} ({Describe(defined)}) is defined in a region that does not enclose its use");
            }
        }

        private void CheckRegions()
        {
            foreach (var region in method.Regions)
            {
                // Nested trys that start together share their entry block, which lies in the innermost one.
                if (region.Entry == null || !blocks.Contains(region.Entry) || !region.Contains(region.Entry.Region))
                    problems.Add($"a {region.Kind} region's entry is not one of its blocks");
                if (region.Kind != RegionKind.Try && (region.Try == null || region.Try.Kind != RegionKind.Try))
                    problems.Add($"a {region.Kind} region does not point to the try it protects");
                if (region.Kind != RegionKind.Try && region.Try != null && !ReferenceEquals(region.Parent, region.Try.Parent))
                    problems.Add($"a {region.Kind} region is not a sibling of its try");
                if (region.Kind == RegionKind.FilteredCatch && region.Filter?.Kind != RegionKind.Filter)
                    problems.Add("a filtered catch has no filter region");
            }
            foreach (var block in method.Blocks.Where(b => b.Region != null && !ReferenceEquals(b.Region.Entry, b)))
            {
                foreach (var predecessor in predecessors[block].Where(p => !block.Region!.Contains(p.Region)))
                    problems.Add($"{Name(block)} is entered from {Name(predecessor)} outside its region, not through the region entry");
            }
        }

        private void CheckControlFlow(Instruction instruction)
        {
            var (block, index) = positions[instruction];
            var at = $"{blockNames[block]}[{index}] {instruction.Info.Mnemonic}";
            switch (instruction.Opcode)
            {
                case Opcode.Branch:
                case Opcode.BranchIf:
                case Opcode.Switch:
                    foreach (var target in instruction.Targets.Where(t => !IsNormalTarget(block.Region, t)))
                        problems.Add($"{at}: target {Name(target)} leaves the region or enters one other than at a try entry");
                    break;
                case Opcode.Leave:
                    foreach (var target in instruction.Targets.Where(t => !IsLeaveTarget(block.Region, t)))
                        problems.Add($"{at}: target {Name(target)} is not in an enclosing region");
                    if (block.Region == null || block.Region.Kind is RegionKind.Finally or RegionKind.Fault or RegionKind.Filter)
                        problems.Add($"{at}: leave outside a try or catch");
                    break;
                case Opcode.Return:
                    if (block.Region != null)
                        problems.Add($"{at}: return inside a protected region or handler");
                    if (instruction.Operands.Count != (method.ReturnType.MetadataType == Mono.Cecil.MetadataType.Void ? 0 : 1))
                        problems.Add($"{at}: return value does not match the method's return type");
                    break;
                case Opcode.EndFinally:
                    if (block.Region?.Kind is not (RegionKind.Finally or RegionKind.Fault))
                        problems.Add($"{at}: endfinally outside a finally or fault handler");
                    break;
                case Opcode.EndFilter:
                    if (block.Region?.Kind != RegionKind.Filter)
                        problems.Add($"{at}: endfilter outside a filter");
                    break;
                case Opcode.Rethrow:
                    if (!InRegionKind(block.Region, RegionKind.Catch, RegionKind.FilteredCatch))
                        problems.Add($"{at}: rethrow outside a catch handler");
                    break;
            }
        }

        private static bool InRegionKind(Region? region, params RegionKind[] kinds)
        {
            for (var r = region; r != null; r = r.Parent)
            {
                if (kinds.Contains(r.Kind))
                    return true;
            }
            return false;
        }

        /// <summary>A region enclosing the source (or the method body), possibly entering trys there at their entry.</summary>
        private static bool IsLeaveTarget(Region? source, Block target)
        {
            var region = target.Region;
            while (region != null && region.Kind == RegionKind.Try && ReferenceEquals(region.Entry, target) && !region.Contains(source))
                region = region.Parent;
            return region == null || region.Contains(source);
        }

        /// <summary>Same region, or the entry of (possibly nested) try regions directly inside the source's region.</summary>
        private static bool IsNormalTarget(Region? source, Block target)
        {
            var region = target.Region;
            while (!ReferenceEquals(region, source))
            {
                if (region == null || region.Kind != RegionKind.Try || !ReferenceEquals(region.Entry, target))
                    return false;
                region = region.Parent;
            }
            return true;
        }

        private void CheckTypes(Instruction instruction)
        {
            var (block, index) = positions[instruction];
            var at = $"{blockNames[block]}[{index}] {instruction.Info.Mnemonic}";
            var types = method.Types;
            switch (instruction.Opcode)
            {
                case Opcode.BranchIf:
                    if (types.KindOf(instruction.Operands[0].Type) is not (StackKind.Int32 or StackKind.Int64 or StackKind.NativeInt or StackKind.Reference or StackKind.ManagedPointer))
                        problems.Add($"{at}: condition of type {IrPrinter.TypeName(instruction.Operands[0].Type)} is not an integer, pointer or reference");
                    break;
                case Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.Rem
                    or Opcode.DivUn or Opcode.RemUn or Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn
                    or Opcode.MulOvf or Opcode.MulOvfUn or Opcode.And or Opcode.Or or Opcode.Xor:
                    CheckBinary(instruction, at);
                    break;
                case Opcode.Shl or Opcode.Shr or Opcode.ShrUn:
                    if (types.KindOf(instruction.Operands[0].Type) is not (StackKind.Int32 or StackKind.Int64 or StackKind.NativeInt)
                        || types.KindOf(instruction.Operands[1].Type) is not (StackKind.Int32 or StackKind.NativeInt))
                        problems.Add($"{at}: shift operands are not integers");
                    break;
                case Opcode.Phi when instruction.Operands.Any(o => StackClass(o.Type) != StackClass(instruction.Type) && o is not Constant { Payload: null }):
                    problems.Add($"{at}: incoming values of different stack kinds");
                    break;
            }
        }

        private void CheckBinary(Instruction instruction, string at)
        {
            var left = method.Types.KindOf(instruction.Operands[0].Type);
            var right = method.Types.KindOf(instruction.Operands[1].Type);
            var integerOnly = instruction.Opcode is Opcode.And or Opcode.Or or Opcode.Xor or Opcode.DivUn or Opcode.RemUn
                or Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn;
            bool compatible;
            if (IsFloat(left) || IsFloat(right))
                compatible = IsFloat(left) && IsFloat(right) && !integerOnly;
            else if (left is StackKind.Int32 or StackKind.NativeInt && right is StackKind.Int32 or StackKind.NativeInt)
                compatible = true;
            else if (left == StackKind.Int64 || right == StackKind.Int64)
                compatible = left == right;
            else
                // Pointer arithmetic (ECMA-335 Table III.2): & ± int, int + &, & − &.
                compatible = instruction.Opcode is Opcode.Add or Opcode.Sub or Opcode.AddOvfUn or Opcode.SubOvfUn
                    && (left == StackKind.ManagedPointer || right == StackKind.ManagedPointer)
                    && left is StackKind.ManagedPointer or StackKind.Int32 or StackKind.NativeInt
                    && right is StackKind.ManagedPointer or StackKind.Int32 or StackKind.NativeInt;
            if (!compatible)
                problems.Add($"{at}: operands of kinds {left} and {right} are not compatible");
        }

        private static bool IsFloat(StackKind kind) => kind is StackKind.Float32 or StackKind.Float64;

        /// <summary>Coarse stack class for phi agreement: integers of one width, floats, references, pointers, structs.</summary>
        private string StackClass(Mono.Cecil.TypeReference type) => method.Types.KindOf(type) switch
        {
            StackKind.Float32 or StackKind.Float64 => "float",
            StackKind.Int32 or StackKind.NativeInt => "int32/nint",
            StackKind.ManagedPointer => "pointer",
            var kind => kind.ToString(),
        };

        private string Name(Block block) => blockNames.TryGetValue(block, out var name) ? name : "<detached block>";

        private string Describe(Value value) => value switch
        {
            Instruction instruction when positions.TryGetValue(instruction, out var position) =>
                $"{instruction.Info.Mnemonic} at {blockNames[position.Block]}[{position.Index}]",
            Instruction instruction => instruction.Info.Mnemonic,
            Parameter parameter => "parameter " + (parameter.Name ?? parameter.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => "constant",
        };
    }
}
