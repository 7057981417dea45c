//! Loads, stores, stack slots, symbol addresses and atomics.
//!
//! Address arithmetic by constants (`iadd_imm`, `iadd x, iconst`, the CLIF
//! offset, `stack_addr`) is folded into the instruction's 16-bit offset,
//! so a context field is read from the unmodified context register and a
//! stack slot straight from r10.

use cranelift_codegen::ir::{
    AtomicRmwOp, Endianness, Inst, InstructionData, MemFlags, Opcode, Type, Value, types,
};

use super::{Lower, Regs, alu};
use crate::bpf::encode::{AluOp, Size};
use crate::bpf::inst::{Base, Reg, Src, VInst};
use crate::bpf::{CodeRelocKind, CompileError, Cpu};

/// Atomic operation codes (the `imm` of `BPF_ATOMIC`).
const FETCH: i32 = 0x01;
const A_ADD: i32 = 0x00;
const A_OR: i32 = 0x40;
const A_AND: i32 = 0x50;
const A_XOR: i32 = 0xa0;
const A_XCHG: i32 = 0xe0 | FETCH;

pub(super) fn lower(cx: &mut Lower<'_>, inst: Inst) -> Result<(), CompileError> {
    let func = cx.func;
    let dfg = &func.dfg;
    let data = &dfg.insts[inst];
    let args = dfg.inst_args(inst);
    let results = dfg.inst_results(inst);
    let offset = i64::from(data.load_store_offset().unwrap_or(0));
    let flags = data.memflags().unwrap_or_else(MemFlags::trusted);
    use Opcode::*;
    match data.opcode() {
        Load | Uload8 | Sload8 | Uload16 | Sload16 | Uload32 | Sload32 | AtomicLoad => {
            let ty = dfg.value_type(results[0]);
            let (bytes, signed) = match data.opcode() {
                Uload8 => (1, false),
                Sload8 => (1, true),
                Uload16 => (2, false),
                Sload16 => (2, true),
                Uload32 => (4, false),
                Sload32 => (4, true),
                _ => (ty.bytes(), false),
            };
            let swap = swapped(cx, flags);
            let dst = cx.def(results[0]);
            if let Some((base, off)) = core_address(cx, args[0], offset, bytes, swap) {
                return core_load(cx, dst, ty, bytes, signed, base, off);
            }
            let (base, off) = address(cx, args[0], offset);
            load(cx, dst, ty, bytes, signed, base, off, swap)?;
        }
        Store | Istore8 | Istore16 | Istore32 | AtomicStore => {
            let ty = dfg.value_type(args[0]);
            let bytes = match data.opcode() {
                Istore8 => 1,
                Istore16 => 2,
                Istore32 => 4,
                _ => ty.bytes(),
            };
            let swap = swapped(cx, flags);
            // A negative 32-bit immediate would be sign-extended if libbpf
            // widened the store to a wider kernel field.
            let widens_wrongly = bytes < 8 && cx.const_of(args[0]).is_some_and(|c| (c as i32) < 0);
            let folded = (!widens_wrongly)
                .then(|| core_address(cx, args[1], offset, bytes, swap))
                .flatten();
            let (base, off) = folded.unwrap_or_else(|| address(cx, args[1], offset));
            store(cx, args[0], ty, bytes, base, off, swap)?;
        }
        StackLoad | StackStore | StackAddr => {
            let (slot, off) = match *data {
                InstructionData::StackLoad {
                    stack_slot, offset, ..
                }
                | InstructionData::StackStore {
                    stack_slot, offset, ..
                } => (stack_slot, i64::from(i32::from(offset))),
                _ => return Err(cx.unsupported(inst)),
            };
            let base = Base::Slot(slot.as_u32());
            match data.opcode() {
                StackLoad => {
                    let ty = dfg.value_type(results[0]);
                    let dst = cx.def(results[0]);
                    load(cx, dst, ty, ty.bytes(), false, base, off, false)?;
                }
                StackStore => {
                    let ty = dfg.value_type(args[0]);
                    store(cx, args[0], ty, ty.bytes(), base, off, false)?;
                }
                _ => {
                    let dst = cx.def(results[0]).lo;
                    cx.emit(VInst::FrameAddr {
                        dst,
                        slot: slot.as_u32(),
                        off: off as i32,
                    });
                }
            }
        }
        SymbolValue | GlobalValue => {
            let InstructionData::UnaryGlobalValue { global_value, .. } = *data else {
                return Err(cx.unsupported(inst));
            };
            let (name, addend) = match &func.global_values[global_value] {
                cranelift_codegen::ir::GlobalValueData::Symbol {
                    name, offset, tls, ..
                } if !tls => (name.clone(), offset.bits()),
                _ => return Err(cx.unsupported(inst)),
            };
            if let Some(constant) = crate::btf::core_relo::relocated_constant(func, &name) {
                let dst = cx.def(results[0]).lo;
                cx.emit(VInst::CoreImm {
                    dst,
                    value: addend,
                    site: constant.site,
                });
                return Ok(());
            }
            let symbol = cx.symbol(&name);
            let dst = cx.def(results[0]).lo;
            cx.emit(VInst::LdImm64 {
                dst,
                value: addend,
                reloc: Some((CodeRelocKind::LdImm64, symbol)),
            });
        }
        FuncAddr => {
            let InstructionData::FuncAddr { func_ref, .. } = *data else {
                return Err(cx.unsupported(inst));
            };
            let name = func.dfg.ext_funcs[func_ref].name.clone();
            let symbol = cx.symbol(&name);
            let dst = cx.def(results[0]).lo;
            cx.emit(VInst::LdImm64 {
                dst,
                value: 0,
                reloc: Some((CodeRelocKind::LdImm64, symbol)),
            });
        }
        AtomicRmw => {
            let InstructionData::AtomicRmw { op, .. } = *data else {
                return Err(cx.unsupported(inst));
            };
            atomic_rmw(cx, op, args[0], args[1], results[0])?;
        }
        AtomicCas => {
            let ty = dfg.value_type(results[0]);
            if !matches!(ty, types::I32 | types::I64) || cx.cpu() < Cpu::V3 {
                cx.problem(format!(
                    "atomic compare-exchange of {ty} needs a 32/64-bit value and cpu v3"
                ));
                let dst = cx.def(results[0]).lo;
                cx.mov_const(dst, 0);
                return Ok(());
            }
            let (base, off) = reg_address(cx, args[0]);
            let expected = cx.reg(args[1]);
            let src = cx.reg(args[2]);
            let dst = cx.def(results[0]).lo;
            cx.emit(VInst::CmpXchg {
                w64: ty == types::I64,
                base,
                off,
                src,
                expected,
                dst,
            });
        }
        _ => return Err(cx.unsupported(inst)),
    }
    Ok(())
}

/// Whether an access must be byte-swapped (explicit non-native endianness).
fn swapped(cx: &Lower<'_>, flags: MemFlags) -> bool {
    let native = if cx.target.big_endian {
        Endianness::Big
    } else {
        Endianness::Little
    };
    flags.endianness(native) != native
}

/// Base and folded offset of the address `p` plus `offset`.
pub(crate) fn address(cx: &mut Lower<'_>, p: Value, offset: i64) -> (Base, i64) {
    let func = cx.func;
    let dfg = &func.dfg;
    let mut p = dfg.resolve_aliases(p);
    let mut off = offset;
    for _ in 0..8 {
        let Some(inst) = cx.inst_of(p) else { break };
        match dfg.insts[inst] {
            InstructionData::BinaryImm64 {
                opcode: Opcode::IaddImm,
                arg,
                imm,
            } if fits(off + imm.bits()) => {
                off += imm.bits();
                p = dfg.resolve_aliases(arg);
            }
            InstructionData::Binary {
                opcode: Opcode::Iadd,
                args,
            } => {
                if let Some(c) = cx.const_of(args[1]).filter(|c| fits(off + c)) {
                    off += c;
                    p = dfg.resolve_aliases(args[0]);
                } else if let Some(c) = cx.const_of(args[0]).filter(|c| fits(off + c)) {
                    off += c;
                    p = dfg.resolve_aliases(args[1]);
                } else {
                    break;
                }
            }
            InstructionData::StackLoad {
                opcode: Opcode::StackAddr,
                stack_slot,
                offset: o,
            } if fits(off + i64::from(i32::from(o))) => {
                return (
                    Base::Slot(stack_slot.as_u32()),
                    off + i64::from(i32::from(o)),
                );
            }
            _ => break,
        }
    }
    if !fits(off) {
        let r = cx.reg(p);
        let k = cx.const_reg(off);
        return (Base::Reg(cx.alu(AluOp::Add, true, r, Src::Reg(k))), 0);
    }
    (Base::Reg(cx.reg(p)), off)
}

fn fits(off: i64) -> bool {
    i16::try_from(off).is_ok()
}

/// The base and offset of an access of `bytes` at `p + offset` that is
/// exactly a relocatable field: `p` is `base + ` the relocated byte
/// offset of a field of `bytes` bytes. The relocation then goes on the
/// instruction's own offset, holding the local offset until libbpf
/// patches it, as clang emits direct reads through `preserve_access_index`
/// pointers: no `ld_imm64` and add, and the verifier sees a constant
/// offset from the unmodified pointer (what context and BTF pointers
/// need). Byte-swapped accesses keep the ALU form: libbpf may resize the
/// access to the kernel's field.
fn core_address(
    cx: &mut Lower<'_>,
    p: Value,
    offset: i64,
    bytes: u32,
    swap: bool,
) -> Option<(Base, i64)> {
    if offset != 0 || swap {
        return None;
    }
    let func = cx.func;
    let InstructionData::Binary {
        opcode: Opcode::Iadd,
        args,
    } = func.dfg.insts[cx.inst_of(p)?]
    else {
        return None;
    };
    for (relocated, base) in [(args[1], args[0]), (args[0], args[1])] {
        let Some(inst) = cx.inst_of(relocated) else {
            continue;
        };
        let InstructionData::UnaryGlobalValue {
            opcode: Opcode::SymbolValue,
            global_value,
        } = func.dfg.insts[inst]
        else {
            continue;
        };
        let cranelift_codegen::ir::GlobalValueData::Symbol { name, offset, .. } =
            &func.global_values[global_value]
        else {
            continue;
        };
        let local = offset.bits();
        let Some(constant) = crate::btf::core_relo::relocated_constant(func, name) else {
            continue;
        };
        if constant.access_bytes.map(u32::from) == Some(bytes) && fits(local) {
            let reg = cx.reg(base);
            let site = constant.site;
            return Some((Base::Core { reg, site }, local));
        }
    }
    None
}

/// A load through [`core_address`]. A narrower unsigned field is
/// zero-extended again after the load: libbpf widens the load when the
/// kernel's field is a wider unsigned integer, and values narrower than 64
/// bits are kept zero-extended.
fn core_load(
    cx: &mut Lower<'_>,
    dst: Regs,
    ty: Type,
    bytes: u32,
    signed: bool,
    base: Base,
    off: i64,
) -> Result<(), CompileError> {
    if signed || bytes == 8 {
        return load(cx, dst, ty, bytes, signed, base, off, false);
    }
    let loaded = cx.tmp();
    let regs = Regs {
        lo: loaded,
        hi: None,
    };
    load(cx, regs, ty, bytes, false, base, off, false)?;
    let value = alu::zext(cx, loaded, bytes * 8);
    cx.finish_into(dst.lo, value);
    Ok(())
}

/// An address as a register base (atomics need one).
fn reg_address(cx: &mut Lower<'_>, p: Value) -> (Reg, i32) {
    match address(cx, p, 0) {
        (Base::Reg(r), off) => (r, off as i32),
        (Base::Slot(_) | Base::Core { .. }, _) => (cx.reg(p), 0),
    }
}

#[allow(clippy::too_many_arguments)]
fn load(
    cx: &mut Lower<'_>,
    dst: Regs,
    ty: Type,
    bytes: u32,
    signed: bool,
    base: Base,
    off: i64,
    swap: bool,
) -> Result<(), CompileError> {
    if ty == types::I128 {
        let (lo_off, hi_off) = if cx.target.big_endian != swap {
            (off + 8, off)
        } else {
            (off, off + 8)
        };
        let words = [(dst.lo, lo_off), (dst.hi.unwrap_or(dst.lo), hi_off)];
        for (d, o) in words {
            let t = cx.tmp();
            cx.emit(VInst::Load {
                size: Size::DW,
                sx: false,
                dst: t,
                base,
                off: o as i32,
            });
            let t = if swap { alu::bswap(cx, t, 64) } else { t };
            cx.finish_into(d, t);
        }
        return Ok(());
    }
    let size = Size::from_bytes(bytes)
        .ok_or_else(|| cx.error(format!("load of {bytes} bytes as {ty}")))?;
    let bits = bytes * 8;
    let sx_native = signed && !swap && cx.cpu() == Cpu::V4 && bits < 64;
    let t = cx.tmp();
    cx.emit(VInst::Load {
        size,
        sx: sx_native,
        dst: t,
        base,
        off: off as i32,
    });
    let mut r = t;
    if swap && bits > 8 {
        r = alu::bswap(cx, r, bits);
    }
    if signed && !sx_native {
        r = alu::sextend(cx, r, bits, ty.bits());
    } else if sx_native && ty.bits() < 64 {
        r = alu::zext(cx, r, ty.bits());
    }
    cx.finish_into(dst.lo, r);
    Ok(())
}

fn store(
    cx: &mut Lower<'_>,
    v: Value,
    ty: Type,
    bytes: u32,
    base: Base,
    off: i64,
    swap: bool,
) -> Result<(), CompileError> {
    if ty == types::I128 {
        let r = cx.regs(v);
        let (lo_off, hi_off) = if cx.target.big_endian != swap {
            (off + 8, off)
        } else {
            (off, off + 8)
        };
        for (w, o) in [(r.lo, lo_off), (r.hi.unwrap_or(r.lo), hi_off)] {
            let w = if swap { alu::bswap(cx, w, 64) } else { w };
            cx.emit(VInst::Store {
                size: Size::DW,
                base,
                off: o as i32,
                src: Src::Reg(w),
            });
        }
        return Ok(());
    }
    let size = Size::from_bytes(bytes)
        .ok_or_else(|| cx.error(format!("store of {bytes} bytes from {ty}")))?;
    let src = match cx.const_of(v) {
        Some(c) if !swap && (size != Size::DW || i32::try_from(c).is_ok()) => Src::Imm(c as i32),
        _ => {
            let r = cx.reg(v);
            Src::Reg(if swap && bytes > 1 {
                alu::bswap(cx, r, bytes * 8)
            } else {
                r
            })
        }
    };
    cx.emit(VInst::Store {
        size,
        base,
        off: off as i32,
        src,
    });
    Ok(())
}

fn atomic_rmw(
    cx: &mut Lower<'_>,
    op: AtomicRmwOp,
    p: Value,
    x: Value,
    result: Value,
) -> Result<(), CompileError> {
    let ty = cx.ty(result);
    let w64 = ty == types::I64;
    let fetch = cx.used.contains(result);
    let aop = match op {
        AtomicRmwOp::Add | AtomicRmwOp::Sub => Some(A_ADD),
        AtomicRmwOp::Or => Some(A_OR),
        AtomicRmwOp::And => Some(A_AND),
        AtomicRmwOp::Xor => Some(A_XOR),
        AtomicRmwOp::Xchg => Some(A_XCHG),
        _ => None,
    };
    // cpu v1/v2 only have the non-fetching add.
    let supported = matches!(ty, types::I32 | types::I64)
        && match aop {
            Some(A_ADD) => !fetch || cx.cpu() >= Cpu::V3,
            Some(_) => cx.cpu() >= Cpu::V3,
            None => false,
        };
    let (base, off) = reg_address(cx, p);
    let Some(aop) = aop.filter(|_| supported) else {
        cx.problem(format!(
            "atomic {op} on {ty} has no BPF instruction for this cpu version"
        ));
        let dst = cx.def(result).lo;
        cx.mov_const(dst, 0);
        return Ok(());
    };
    let mut src = cx.reg(x);
    if op == AtomicRmwOp::Sub {
        let n = cx.tmp();
        cx.emit(VInst::Neg { w64, dst: n, src });
        src = n;
    }
    let needs_fetch = fetch || aop == A_XCHG;
    let dst = cx.def(result).lo;
    cx.emit(VInst::Atomic {
        w64,
        aop: if needs_fetch { aop | FETCH } else { aop },
        base,
        off,
        src,
        fetch: needs_fetch.then_some(dst),
    });
    Ok(())
}
