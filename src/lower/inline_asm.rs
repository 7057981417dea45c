//! `asm!` blocks. On BPF the template is assembled here (errors point at
//! the `asm!`), and the block becomes a call of a marker function that
//! instruction selection expands with the registers the allocator chose
//! (see [`crate::bpf::asm`]): the call's arguments are the block's inputs,
//! its results the outputs, written to their places after the call. Other
//! targets have no assembler in this backend: there a block whose template
//! holds no instructions (only comments, the optimisation-barrier idiom
//! `asm!("/* {0} */", inout(reg) x)`) passes its operands through, and any
//! other `asm!` is reported as unsupported.

use cranelift_codegen::ir::{AbiParam, InstBuilder, Signature, Type, Value, types};
use cranelift_module::Linkage;
use rustc_abi::BackendRepr;
use rustc_ast::{InlineAsmOptions, InlineAsmTemplatePiece};
use rustc_middle::mir::{BasicBlock, InlineAsmMacro, InlineAsmOperand};
use rustc_target::asm::{BpfInlineAsmReg, BpfInlineAsmRegClass};
use rustc_target::asm::{InlineAsmReg, InlineAsmRegClass, InlineAsmRegOrRegClass};

use super::FunctionCx;
use super::abi;
use super::layout_cx::scalar_clif_ty;
use super::place::Place;
use super::rvalue::{lower_operand, lower_place};
use super::value::Val;
use crate::bpf::asm::{Block, Dir, Operand};

/// The parts of an `InlineAsm` terminator the lowering needs.
pub(crate) struct AsmBlock<'a, 'tcx> {
    pub(crate) asm_macro: InlineAsmMacro,
    pub(crate) template: &'a [InlineAsmTemplatePiece],
    pub(crate) operands: &'a [InlineAsmOperand<'tcx>],
    pub(crate) options: InlineAsmOptions,
    pub(crate) targets: &'a [BasicBlock],
}

pub(crate) fn lower_inline_asm<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, asm: AsmBlock<'_, 'tcx>) {
    if !fx.target.inline_asm {
        if asm.asm_macro == InlineAsmMacro::Asm && has_no_instructions(asm.template) {
            lower_empty(fx, &asm);
            return;
        }
        fx.unsupported("inline assembly");
        fx.trap_unreachable();
        return;
    }
    if let Err(what) = lower_bpf(fx, &asm) {
        fx.unsupported(what);
        fx.trap_unreachable();
    }
}

/// Whether the template is only comments (`/* */`, and `#` or `//` to the
/// end of a line), whitespace and statement separators.
fn has_no_instructions(pieces: &[InlineAsmTemplatePiece]) -> bool {
    let text: String = pieces
        .iter()
        .map(|piece| match piece {
            InlineAsmTemplatePiece::String(s) => &**s,
            InlineAsmTemplatePiece::Placeholder { .. } => "x",
        })
        .collect();
    let mut rest = text.as_str();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
        if rest.is_empty() {
            return true;
        }
        if let Some(after) = rest.strip_prefix("/*") {
            match after.find("*/") {
                Some(end) => rest = &after[end + 2..],
                None => return false,
            }
        } else if rest.starts_with('#') || rest.starts_with("//") {
            rest = rest.find('\n').map_or("", |end| &rest[end..]);
        } else {
            return false;
        }
    }
}

/// A block without instructions: each `inout` output receives its input
/// unchanged; plain outputs keep their places' values (an unspecified
/// value is what an untouched output register holds); control goes on.
fn lower_empty<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, asm: &AsmBlock<'_, 'tcx>) {
    for op in asm.operands {
        if let InlineAsmOperand::InOut {
            in_value,
            out_place: Some(out),
            ..
        } = op
        {
            let value = lower_operand(fx, in_value);
            let place = lower_place(fx, *out);
            if value.layout.size != place.layout.size {
                fx.unsupported("an `inout` operand whose output differs in size from its input");
                continue;
            }
            let value = value.transmute(fx, place.layout);
            place.write_val(fx, value);
        }
    }
    if asm.options.contains(InlineAsmOptions::NORETURN) {
        fx.trap_unreachable();
    } else {
        abi::jump_or_trap(fx, asm.targets.first().copied());
    }
}

/// What one MIR operand contributes to the marker call.
struct Lowered<'tcx> {
    operand: Operand,
    /// Whether placeholders name the 64-bit register (`r`, else `w`).
    wide: bool,
    input: Option<Value>,
    /// The output's type and where it goes (`None`: discarded).
    output: Option<(Type, Option<Place<'tcx>>)>,
}

fn lower_bpf<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    asm: &AsmBlock<'_, 'tcx>,
) -> Result<(), String> {
    if asm.asm_macro == InlineAsmMacro::NakedAsm {
        return Err("`naked_asm!`".into());
    }
    let mut lowered = Vec::new();
    for op in asm.operands {
        lowered.push(lower_operand_of(fx, op)?);
    }
    let template = template_text(asm.template, &lowered)?;
    let block = Block {
        operands: lowered.iter().map(|l| l.operand).collect(),
        template,
    };
    if let Err(message) = block.assemble() {
        let span = fx.span;
        fx.tcx
            .dcx()
            .span_err(span, format!("invalid BPF inline assembly: {message}"));
        fx.failed = true;
        fx.trap_unreachable();
        return Ok(());
    }

    let inputs: Vec<Value> = lowered.iter().filter_map(|l| l.input).collect();
    let mut sig = Signature::new(fx.module.target_config().default_call_conv);
    for &v in &inputs {
        sig.params
            .push(AbiParam::new(fx.bcx.func.dfg.value_type(v)));
    }
    for l in &lowered {
        if let Some((ty, _)) = l.output {
            sig.returns.push(AbiParam::new(ty));
        }
    }
    let types: Vec<String> = sig
        .params
        .iter()
        .chain(&sig.returns)
        .map(|p| p.value_type.to_string())
        .collect();
    let name = block.marker_name(&types.join(","));
    let id = fx
        .module
        .declare_function(&name, Linkage::Import, &sig)
        .map_err(|e| format!("inline assembly marker ({e})"))?;
    let func_ref = fx.module.declare_func_in_func(id, fx.bcx.func);
    let call = fx.bcx.ins().call(func_ref, &inputs);
    let results = fx.bcx.inst_results(call).to_vec();
    let places = lowered.into_iter().filter_map(|l| l.output.map(|(_, p)| p));
    for (value, place) in results.into_iter().zip(places) {
        if let Some(place) = place {
            place.write_val(fx, Val::by_val(value, place.layout));
        }
    }
    if asm.options.contains(InlineAsmOptions::NORETURN) {
        fx.trap_unreachable();
    } else {
        abi::jump_or_trap(fx, asm.targets.first().copied());
    }
    Ok(())
}

fn lower_operand_of<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    op: &InlineAsmOperand<'tcx>,
) -> Result<Lowered<'tcx>, String> {
    let input = |fx: &mut FunctionCx<'_, '_, 'tcx>, value| -> Result<Value, String> {
        let val = lower_operand(fx, value);
        match val.layout.backend_repr {
            BackendRepr::Scalar(_) => Ok(val.load_scalar(fx)),
            _ => Err("an inline assembly operand that is not a scalar".to_string()),
        }
    };
    let output = |fx: &mut FunctionCx<'_, '_, 'tcx>, place: &Option<_>, default: Type| {
        let Some(place) = place else {
            return Ok((default, None));
        };
        let place = lower_place(fx, *place);
        match place.layout.backend_repr {
            BackendRepr::Scalar(s) => Ok((scalar_clif_ty(fx.tcx, s), Some(place))),
            _ => Err("an inline assembly output that is not a scalar".to_string()),
        }
    };
    Ok(match op {
        InlineAsmOperand::In { reg, value } => Lowered {
            operand: Operand {
                dir: Dir::In,
                fixed: fixed_reg(reg)?,
            },
            wide: is_wide(reg),
            input: Some(input(fx, value)?),
            output: None,
        },
        InlineAsmOperand::Out { reg, late, place } => Lowered {
            operand: Operand {
                dir: if *late { Dir::LateOut } else { Dir::Out },
                fixed: fixed_reg(reg)?,
            },
            wide: is_wide(reg),
            input: None,
            output: Some(output(fx, place, types::I64)?),
        },
        InlineAsmOperand::InOut {
            reg,
            in_value,
            out_place,
            ..
        } => {
            let v = input(fx, in_value)?;
            let ty = fx.bcx.func.dfg.value_type(v);
            Lowered {
                operand: Operand {
                    dir: Dir::InOut,
                    fixed: fixed_reg(reg)?,
                },
                wide: is_wide(reg),
                input: Some(v),
                output: Some(output(fx, out_place, ty)?),
            }
        }
        InlineAsmOperand::Const { .. } => return Err("`const` operands in inline assembly".into()),
        InlineAsmOperand::SymFn { .. } | InlineAsmOperand::SymStatic { .. } => {
            return Err("`sym` operands in inline assembly".into());
        }
        InlineAsmOperand::Label { .. } => return Err("`label` operands in inline assembly".into()),
    })
}

/// The register number of an explicit register operand, `None` for a
/// register class.
fn fixed_reg(reg: &InlineAsmRegOrRegClass) -> Result<Option<u8>, String> {
    match reg {
        InlineAsmRegOrRegClass::RegClass(InlineAsmRegClass::Bpf(_)) => Ok(None),
        InlineAsmRegOrRegClass::Reg(InlineAsmReg::Bpf(r)) => Ok(Some(bpf_reg_number(*r))),
        _ => Err("inline assembly for another architecture".into()),
    }
}

fn bpf_reg_number(r: BpfInlineAsmReg) -> u8 {
    // `r0`..`r9` and `w0`..`w9`: the digit after the letter.
    r.name()[1..].parse().unwrap_or(0)
}

/// Whether the operand's register is named by its 64-bit name: the `reg`
/// class and `r0`..`r9` (`wreg` and `w0`..`w9` use the 32-bit names).
fn is_wide(reg: &InlineAsmRegOrRegClass) -> bool {
    match reg {
        InlineAsmRegOrRegClass::RegClass(InlineAsmRegClass::Bpf(class)) => {
            *class == BpfInlineAsmRegClass::reg
        }
        InlineAsmRegOrRegClass::Reg(InlineAsmReg::Bpf(r)) => r.name().starts_with('r'),
        _ => true,
    }
}

/// The template with each placeholder replaced by its register: the
/// explicit register's own name, or `r{N}` / `w{N}` for operand `N` of the
/// `reg` / `wreg` class (see [`crate::bpf::asm`]).
fn template_text(pieces: &[InlineAsmTemplatePiece], ops: &[Lowered<'_>]) -> Result<String, String> {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            InlineAsmTemplatePiece::String(s) => {
                if s.contains('{') || s.contains('}') {
                    return Err("braces in a BPF inline assembly template".into());
                }
                text.push_str(s);
            }
            InlineAsmTemplatePiece::Placeholder { operand_idx, .. } => {
                let op = ops
                    .get(*operand_idx)
                    .ok_or("an inline assembly placeholder without operand")?;
                let prefix = if op.wide { 'r' } else { 'w' };
                match op.operand.fixed {
                    Some(r) => text.push_str(&format!("{prefix}{r}")),
                    None => text.push_str(&format!("{prefix}{{{operand_idx}}}")),
                }
            }
        }
    }
    Ok(text)
}
