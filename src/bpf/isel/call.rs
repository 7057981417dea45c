//! Calls, returns and incoming arguments, following the convention in
//! [`crate::bpf::abi`]; kernel helper calls (`call_indirect` of a constant,
//! aya's idiom, or a helper declared with `bpf_builtins::kernel_helper`),
//! kfunc calls (see [`crate::bpf::builtins`]) and the classic packet loads
//! `llvm.bpf.load.*`.

use cranelift_codegen::ir::{
    self, Block, ExternalName, Inst, InstructionData, LibCall, Opcode, Type, Value, types,
};

use super::{Lower, Regs, alu};
use crate::bpf::CompileError;
use crate::bpf::abi::{self, RetKind};
use crate::bpf::builtins;
use crate::bpf::encode::Size;
use crate::bpf::inst::{Base, CallTarget, Reg, Src, VInst};

pub(super) fn lower(cx: &mut Lower<'_>, inst: Inst) -> Result<(), CompileError> {
    let func = cx.func;
    let dfg = &func.dfg;
    let args = dfg.inst_args(inst);
    let results = dfg.inst_results(inst).to_vec();
    match dfg.insts[inst] {
        InstructionData::MultiAry {
            opcode: Opcode::Return,
            ..
        } => ret(cx, args),
        InstructionData::Call { func_ref, .. } => {
            let data = &dfg.ext_funcs[func_ref];
            let name = cx.symbol(&data.name);
            let sig = &dfg.signatures[data.signature];
            named_call(cx, name, sig, args, &results)
        }
        InstructionData::CallIndirect { sig_ref, .. } => {
            let sig = &dfg.signatures[sig_ref];
            let (callee, args) = (args[0], &args[1..]);
            match callee_of(cx, callee) {
                Callee::Helper(id) => {
                    let Ok(id) = i32::try_from(id) else {
                        return Err(cx.error(format!("helper number {id} out of range")));
                    };
                    kernel_call(cx, CallTarget::Helper(id), sig, args, &results)
                }
                Callee::Func(name) => named_call(cx, name, sig, args, &results),
                Callee::Unknown => {
                    cx.problem(
                        "indirect call through a function pointer (the BPF verifier accepts \
                         no indirect calls)"
                            .into(),
                    );
                    for r in results {
                        for w in cx.def(r).words() {
                            cx.mov_const(w, 0);
                        }
                    }
                    Ok(())
                }
            }
        }
        _ => Err(cx.unsupported(inst)),
    }
}

enum Callee {
    Helper(i64),
    Func(String),
    Unknown,
}

/// What a `call_indirect` calls: a constant is a helper number, a
/// `func_addr` a known function.
fn callee_of(cx: &Lower<'_>, v: Value) -> Callee {
    let func = cx.func;
    let dfg = &func.dfg;
    let mut v = dfg.resolve_aliases(v);
    for _ in 0..8 {
        if let Some(c) = cx.const_of(v) {
            return Callee::Helper(c);
        }
        let Some(inst) = cx.inst_of(v) else { break };
        match dfg.insts[inst] {
            InstructionData::FuncAddr { func_ref, .. } => {
                return Callee::Func(cx.symbol(&dfg.ext_funcs[func_ref].name));
            }
            InstructionData::Unary {
                opcode: Opcode::Uextend | Opcode::Ireduce | Opcode::Bitcast | Opcode::Sextend,
                arg,
            } => v = dfg.resolve_aliases(arg),
            _ => break,
        }
    }
    Callee::Unknown
}

/// A call of the function with link name `name`: a classic packet load, a
/// declared kernel helper, a kfunc, or a BPF-to-BPF call.
fn named_call(
    cx: &mut Lower<'_>,
    name: String,
    sig: &ir::Signature,
    args: &[Value],
    results: &[Value],
) -> Result<(), CompileError> {
    if let Some(block) = crate::bpf::asm::Block::from_marker(&name) {
        let block = block.map_err(|message| cx.error(message))?;
        return super::inline_asm::lower(cx, block, args, results);
    }
    if let Some(size) = packet_load_size(&name) {
        return packet_load(cx, size, args, results);
    }
    if let Some(id) = builtins::helper_id(&name) {
        let id = id.map_err(|message| cx.error(message))?;
        return kernel_call(cx, CallTarget::Helper(id), sig, args, results);
    }
    if let Some(kfunc) = builtins::kfunc_name(&name) {
        let target = CallTarget::Func(kfunc.to_string());
        return kernel_call(cx, target, sig, args, results);
    }
    call(cx, CallTarget::Func(name), sig, args, results)
}

fn packet_load_size(name: &str) -> Option<Size> {
    match name {
        "llvm.bpf.load.byte" => Some(Size::B),
        "llvm.bpf.load.half" => Some(Size::H),
        "llvm.bpf.load.word" => Some(Size::W),
        _ => None,
    }
}

/// `llvm.bpf.load.*(ctx, off)`: `BPF_LD|BPF_ABS` for a constant offset,
/// `BPF_IND` otherwise; the context goes to r6. The one-argument form
/// `llvm.bpf.load.*(off)` (`bpf_builtins::load_*`, GCC's
/// `__builtin_bpf_load_*`) reads the context of the function's own first
/// argument, as a program receives it.
fn packet_load(
    cx: &mut Lower<'_>,
    size: Size,
    args: &[Value],
    results: &[Value],
) -> Result<(), CompileError> {
    let (ctx, offset) = match *args {
        [ctx, offset] => (cx.reg(ctx), offset),
        [offset] => {
            let func = cx.func;
            let first = func
                .layout
                .entry_block()
                .and_then(|entry| func.dfg.block_params(entry).first().copied());
            let Some(ctx) = first else {
                return Err(cx.error(
                    "a classic packet load (llvm.bpf.load.*) without a context argument \
                     needs the context as the function's first argument"
                        .into(),
                ));
            };
            (cx.reg(ctx), offset)
        }
        _ => {
            return Err(cx.error("llvm.bpf.load.* takes (ctx, offset) or (offset)".into()));
        }
    };
    let index = match cx.const_of(offset) {
        Some(c) if i32::try_from(c).is_ok() => Src::Imm(c as i32),
        _ => Src::Reg(cx.reg(offset)),
    };
    let t = cx.tmp();
    cx.emit(VInst::LdPacket {
        size,
        ctx,
        index,
        dst: t,
    });
    if let Some(&r) = results.first() {
        let bits = cx.ty(r).bits();
        let v = alu::zext(cx, t, bits.min(64));
        cx.bind(r, v);
    }
    Ok(())
}

/// A call with this backend's convention. `args` are the argument words.
pub(crate) fn call_words(
    cx: &mut Lower<'_>,
    target: CallTarget,
    mut words: Vec<Reg>,
    ret_types: &[Type],
) -> Vec<Reg> {
    let kind = abi::ret_kind(ret_types);
    let mut area = None;
    if let RetKind::Area(n) = kind {
        let slot = *cx
            .ret_area_slot
            .get_or_insert_with(|| cx.frame.add(8 * n as u32, 8));
        cx.frame.grow(slot, 8 * n as u32);
        for i in 0..n {
            cx.emit(VInst::Store {
                size: Size::DW,
                base: Base::Slot(slot),
                off: 8 * i as i32,
                src: Src::Imm(0),
            });
        }
        let p = cx.tmp();
        cx.emit(VInst::FrameAddr {
            dst: p,
            slot,
            off: 0,
        });
        words.insert(0, p);
        area = Some((slot, n));
    }
    let layout = abi::arg_layout(words.len());
    let mut regs: Vec<(Reg, u8)> = words[..layout.regs]
        .iter()
        .enumerate()
        .map(|(i, r)| (*r, i as u8 + 1))
        .collect();
    if layout.stack > 0 {
        let bytes = 8 * layout.stack as u32;
        let slot = *cx
            .out_args_slot
            .get_or_insert_with(|| cx.frame.add(bytes, 8));
        cx.frame.grow(slot, bytes);
        for (i, w) in words[layout.regs..].iter().enumerate() {
            cx.emit(VInst::Store {
                size: Size::DW,
                base: Base::Slot(slot),
                off: 8 * i as i32,
                src: Src::Reg(*w),
            });
        }
        let p = cx.tmp();
        cx.emit(VInst::FrameAddr {
            dst: p,
            slot,
            off: 0,
        });
        regs.push((p, 5));
    }
    let mut out = Vec::new();
    let mut rets = Vec::new();
    if kind == RetKind::R0 {
        let r = cx.tmp();
        rets.push((r, 0));
        out.push(r);
    }
    cx.emit(VInst::Call {
        target,
        args: regs,
        rets,
    });
    if let Some((slot, n)) = area {
        for i in 0..n {
            let r = cx.tmp();
            cx.emit(VInst::Load {
                size: Size::DW,
                sx: false,
                dst: r,
                base: Base::Slot(slot),
                off: 8 * i as i32,
            });
            out.push(r);
        }
    }
    out
}

/// Binds call result words to the CLIF results.
fn bind_results(cx: &mut Lower<'_>, results: &[Value], words: &[Reg]) {
    let mut it = words.iter();
    for &r in results {
        let dst = cx.def(r);
        for d in dst.words() {
            if let Some(&w) = it.next() {
                cx.finish_into(d, w);
            }
        }
    }
}

fn call(
    cx: &mut Lower<'_>,
    target: CallTarget,
    sig: &ir::Signature,
    args: &[Value],
    results: &[Value],
) -> Result<(), CompileError> {
    let mut words = Vec::new();
    for &a in args {
        words.extend(cx.regs(a).words());
    }
    let ret_types = abi::return_types(sig);
    let out = call_words(cx, target, words, &ret_types);
    bind_results(cx, results, &out);
    Ok(())
}

/// A kernel helper or kfunc: arguments in r1..r5 as the kernel expects,
/// result in r0 (a narrow result is zero-extended, the kernel returns 64
/// bits).
fn kernel_call(
    cx: &mut Lower<'_>,
    target: CallTarget,
    sig: &ir::Signature,
    args: &[Value],
    results: &[Value],
) -> Result<(), CompileError> {
    let mut words = Vec::new();
    for &a in args {
        words.extend(cx.regs(a).words());
    }
    if words.len() > 5 {
        let callee = match &target {
            CallTarget::Helper(id) => format!("kernel helper {id}"),
            CallTarget::Func(name) => format!("kfunc `{name}`"),
        };
        cx.problem(format!(
            "call of {callee} with {} argument words (at most 5)",
            words.len()
        ));
        words.truncate(5);
    }
    let regs = words
        .iter()
        .enumerate()
        .map(|(i, r)| (*r, i as u8 + 1))
        .collect();
    let ret = (!sig.returns.is_empty()).then(|| cx.tmp());
    cx.emit(VInst::Call {
        target,
        args: regs,
        rets: ret.map(|r| (r, 0)).into_iter().collect(),
    });
    if let (Some(r), Some(&res)) = (ret, results.first()) {
        let bits = cx.ty(res).bits();
        let v = alu::zext(cx, r, bits.min(64));
        cx.bind(res, v);
    }
    Ok(())
}

fn ret(cx: &mut Lower<'_>, args: &[Value]) -> Result<(), CompileError> {
    let types: Vec<Type> = args.iter().map(|a| cx.ty(*a)).collect();
    match abi::ret_kind(&types) {
        RetKind::None => {
            let r = cx.const_reg(0);
            cx.emit(VInst::Ret { value: r });
        }
        RetKind::R0 => {
            let r = cx.reg(args[0]);
            cx.emit(VInst::Ret { value: r });
        }
        RetKind::Area(_) => {
            let Some(p) = cx.ret_ptr else {
                return Err(cx.error("return values do not match the signature".into()));
            };
            let mut i = 0;
            for &a in args {
                for w in cx.regs(a).words() {
                    cx.emit(VInst::Store {
                        size: Size::DW,
                        base: Base::Reg(p),
                        off: 8 * i,
                        src: Src::Reg(w),
                    });
                    i += 1;
                }
            }
            let r = cx.const_reg(0);
            cx.emit(VInst::Ret { value: r });
        }
    }
    Ok(())
}

/// The vreg for the hidden return-area pointer, when the signature has one.
pub(super) fn entry_ret_ptr(cx: &mut Lower<'_>) -> Option<Reg> {
    let rets = abi::return_types(&cx.func.signature);
    matches!(abi::ret_kind(&rets), RetKind::Area(_)).then(|| cx.tmp())
}

/// The entry block's `Args` pseudo-instruction and loads of stack words.
pub(super) fn lower_entry_args(cx: &mut Lower<'_>, entry: Block) -> Result<(), CompileError> {
    let params: Vec<Value> = cx.func.dfg.block_params(entry).to_vec();
    let mut words: Vec<Reg> = cx.ret_ptr.into_iter().collect();
    for &p in &params {
        let r: Regs = cx.def(p);
        words.extend(r.words());
    }
    let layout = abi::arg_layout(words.len());
    let mut defs: Vec<(Reg, u8)> = words[..layout.regs]
        .iter()
        .enumerate()
        .map(|(i, r)| (*r, i as u8 + 1))
        .collect();
    let block_ptr = (layout.stack > 0).then(|| cx.tmp());
    if let Some(p) = block_ptr {
        defs.push((p, 5));
    }
    cx.emit(VInst::Args { defs });
    if let Some(p) = block_ptr {
        for (i, w) in words[layout.regs..].iter().enumerate() {
            cx.emit(VInst::Load {
                size: Size::DW,
                sx: false,
                dst: *w,
                base: Base::Reg(p),
                off: 8 * i as i32,
            });
        }
    }
    Ok(())
}

impl Lower<'_> {
    /// The symbol name of an external name.
    pub(crate) fn symbol(&self, name: &ExternalName) -> String {
        match name {
            ExternalName::LibCall(lc) => match lc {
                LibCall::Memcpy => "memcpy".into(),
                LibCall::Memset => "memset".into(),
                LibCall::Memmove => "memmove".into(),
                LibCall::Memcmp => "memcmp".into(),
                LibCall::CeilF32 => "ceilf".into(),
                LibCall::CeilF64 => "ceil".into(),
                LibCall::FloorF32 => "floorf".into(),
                LibCall::FloorF64 => "floor".into(),
                LibCall::TruncF32 => "truncf".into(),
                LibCall::TruncF64 => "trunc".into(),
                LibCall::NearestF32 => "rintf".into(),
                LibCall::NearestF64 => "rint".into(),
                LibCall::FmaF32 => "fmaf".into(),
                LibCall::FmaF64 => "fma".into(),
                _ => (self.symbol_name)(name),
            },
            _ => (self.symbol_name)(name),
        }
    }
}

/// A call to a compiler_builtins/libm routine by name. These are
/// `extern "C"` functions, so they follow rustc's C ABI for BPF: values
/// wider than 64 bits are passed by pointer and returned through a hidden
/// first pointer argument, in memory in the target's byte order.
pub(crate) fn libcall(
    cx: &mut Lower<'_>,
    name: &str,
    args: &[(Regs, Type)],
    ret: &[Type],
) -> Vec<Reg> {
    let wide = ret.contains(&types::I128) || args.iter().any(|(_, t)| *t == types::I128);
    let scratch = wide.then(|| *cx.libcall_slot.get_or_insert_with(|| cx.frame.add(48, 8)));
    let mut words = Vec::new();
    let place = |cx: &mut Lower<'_>, index: i32, r: Option<Regs>| -> Reg {
        let slot = scratch.unwrap_or(0);
        let off = 16 * index;
        let (lo_off, hi_off) = if cx.target.big_endian {
            (off + 8, off)
        } else {
            (off, off + 8)
        };
        let (lo, hi) = match r {
            Some(r) => (Src::Reg(r.lo), Src::Reg(r.hi.unwrap_or(r.lo))),
            None => (Src::Imm(0), Src::Imm(0)),
        };
        for (o, v) in [(lo_off, lo), (hi_off, hi)] {
            cx.emit(VInst::Store {
                size: Size::DW,
                base: Base::Slot(slot),
                off: o,
                src: v,
            });
        }
        let p = cx.tmp();
        cx.emit(VInst::FrameAddr { dst: p, slot, off });
        p
    };
    let sret = ret.contains(&types::I128);
    if sret {
        words.push(place(cx, 0, None));
    }
    for (i, (r, t)) in args.iter().enumerate() {
        if *t == types::I128 {
            words.push(place(cx, 1 + i as i32, Some(*r)));
        } else {
            words.extend(r.words());
        }
    }
    let regs: Vec<(Reg, u8)> = words
        .iter()
        .take(5)
        .enumerate()
        .map(|(i, r)| (*r, i as u8 + 1))
        .collect();
    let r0 = (!sret && !ret.is_empty()).then(|| cx.tmp());
    cx.emit(VInst::Call {
        target: CallTarget::Func(name.to_string()),
        args: regs,
        rets: r0.map(|r| (r, 0)).into_iter().collect(),
    });
    if let Some(r) = r0 {
        return vec![r];
    }
    if !sret {
        return Vec::new();
    }
    let slot = scratch.unwrap_or(0);
    let (lo_off, hi_off) = if cx.target.big_endian { (8, 0) } else { (0, 8) };
    let mut out = Vec::new();
    for o in [lo_off, hi_off] {
        let r = cx.tmp();
        cx.emit(VInst::Load {
            size: Size::DW,
            sx: false,
            dst: r,
            base: Base::Slot(slot),
            off: o,
        });
        out.push(r);
    }
    out
}
