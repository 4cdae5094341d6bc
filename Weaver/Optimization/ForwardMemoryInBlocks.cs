using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Block-local redundant load and dead store elimination on array elements (LLVM's GVN load forwarding and
/// DSE, at block scope): a second <c>element.addr</c> of the same array and index is the first; a load of an
/// element already loaded or stored in the block, with no possibly aliasing store between, is that value; a store
/// overwritten in the block before anything reads memory or may throw is removed. Reverse sweeps emit such code
/// for every <c>a[i] += …</c> of an adjoint (three read-modify-writes of <c>dx[i]</c> become one), and primals for
/// <c>x[i] * x[i]</c>. Locations are (array, index, element type) values; a store to any other location, a call
/// other than <c>System.Math</c>'s, a volatile access or any other memory effect forgets what is known.
/// Stored values are forwarded only for element types that hold their stack value exactly (int32, int64, float32,
/// float64): a store to a byte or bool element truncates.
/// </summary>
public sealed class ForwardMemoryInBlocks : IIrPass
{
    public string Name => "ForwardMemoryInBlocks";

    public bool Run(IrMethod method)
    {
        var changed = false;
        foreach (var block in method.Blocks)
            changed |= Run(block);
        return changed;
    }

    private static bool Run(Block block)
    {
        var changed = false;
        var addresses = new Dictionary<Location, Instruction>();
        var known = new Dictionary<Location, Value>();
        var pendingStores = new Dictionary<Location, Instruction>();
        foreach (var instruction in block.Instructions.ToList())
        {
            if ((instruction.Flags & (InstructionFlags.Volatile | InstructionFlags.Unaligned)) != 0)
            {
                known.Clear();
                pendingStores.Clear();
                continue;
            }
            switch (instruction.Opcode)
            {
                case Opcode.ElementAddress:
                {
                    var location = Location.OfElement(instruction.Operands[0], instruction.Operands[1], instruction);
                    // The flags decide the type check (readonly. and no. skip it), so only equal ones are one address.
                    if (addresses.TryGetValue(location, out var earlier) && earlier.Flags == instruction.Flags)
                    {
                        IrEdits.Replace(instruction, earlier);
                        changed = true;
                        continue;
                    }
                    addresses[location] = instruction;
                    pendingStores.Clear();
                    break;
                }
                case Opcode.LoadElement or Opcode.Load:
                {
                    var location = Location.Of(instruction);
                    if (location is { } at && known.TryGetValue(at, out var value) && value.Type.FullName == instruction.Type.FullName)
                    {
                        IrEdits.Replace(instruction, value);
                        changed = true;
                        continue;
                    }
                    pendingStores.Clear();
                    if (location is { } read)
                        known[read] = instruction;
                    break;
                }
                case Opcode.StoreElement or Opcode.Store:
                {
                    if (Location.Of(instruction) is not { } location)
                    {
                        known.Clear();
                        pendingStores.Clear();
                        break;
                    }
                    if (instruction.Opcode == Opcode.StoreElement && !known.ContainsKey(location) && !pendingStores.ContainsKey(location))
                        pendingStores.Clear();
                    if (pendingStores.TryGetValue(location, out var overwritten))
                    {
                        overwritten.Remove();
                        changed = true;
                    }
                    pendingStores[location] = instruction;
                    known.Clear();
                    var stored = instruction.Operands[instruction.Operands.Count - 1];
                    if (location.HoldsStackValueExactly)
                        known[location] = stored;
                    break;
                }
                case Opcode.Call when instruction.Member is MethodReference { DeclaringType.FullName: "System.Math" or "System.MathF" }:
                    pendingStores.Clear();
                    break;
                default:
                    if (instruction.Info.HasSideEffects)
                    {
                        known.Clear();
                        pendingStores.Clear();
                    }
                    else if (InstructionEffects.MayThrow(instruction))
                    {
                        pendingStores.Clear();
                    }
                    break;
            }
        }
        return changed;
    }

    /// <summary>An array element: the array and index values and the element type.</summary>
    private readonly struct Location : IEquatable<Location>
    {
        private readonly Value array;
        private readonly Value index;
        private readonly TypeReference elementType;

        private Location(Value array, Value index, TypeReference elementType)
        {
            this.array = array;
            this.index = index;
            this.elementType = elementType;
        }

        public bool HoldsStackValueExactly =>
            elementType.MetadataType is MetadataType.Int32 or MetadataType.Int64 or MetadataType.Single or MetadataType.Double;

        public static Location OfElement(Value array, Value index, Instruction access) => new(array, index, access.TypeOperand!);

        /// <summary>The element a load or store accesses, directly or through an <c>element.addr</c>; null for any other address.</summary>
        public static Location? Of(Instruction access) =>
            access.Opcode is Opcode.LoadElement or Opcode.StoreElement
                ? OfElement(access.Operands[0], access.Operands[1], access)
                : access.Operands[0] is Instruction { Opcode: Opcode.ElementAddress } address && address.TypeOperand!.FullName == access.TypeOperand?.FullName
                    ? OfElement(address.Operands[0], address.Operands[1], address)
                    : null;

        public bool Equals(Location other) =>
            ReferenceEquals(array, other.array) && ReferenceEquals(index, other.index) && elementType.FullName == other.elementType.FullName;

        public override bool Equals(object? obj) => obj is Location other && Equals(other);

        public override int GetHashCode() =>
            unchecked((System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(array) * 31 + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(index)) * 31 + elementType.FullName.GetHashCode());
    }
}
