//! Terminators: jumps, switches, returns, asserts (with their panics),
//! drops and calls.

use cranelift_codegen::ir::InstBuilder;
use cranelift_frontend::Switch;
use rustc_hir::LangItem;
use rustc_middle::mir::{self, AssertKind, Terminator, TerminatorKind};
use rustc_middle::ty::Instance;

use super::FunctionCx;
use super::abi;
use super::rvalue::{lower_operand, lower_place};
use super::value::Val;

pub(crate) fn lower_terminator<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, term: &Terminator<'tcx>) {
    let source_info = term.source_info;
    match &term.kind {
        TerminatorKind::Goto { target } => abi::jump_or_trap(fx, Some(*target)),
        TerminatorKind::Return => abi::lower_return(fx),
        TerminatorKind::Unreachable => fx.trap_unreachable(),
        TerminatorKind::UnwindResume | TerminatorKind::UnwindTerminate(_) => fx.trap_unreachable(),
        TerminatorKind::SwitchInt { discr, targets } => {
            let discr = lower_operand(fx, discr);
            let value = discr.load_scalar(fx);
            let ty = fx.bcx.func.dfg.value_type(value);
            if let Some((test, then_bb, else_bb)) = targets.as_static_if() {
                // `if`-shaped switches become a single conditional branch.
                let then_block = fx.block(then_bb);
                let else_block = fx.block(else_bb);
                let cond = if test == 0 {
                    value
                } else {
                    let c = fx.iconst_any(ty, test);
                    fx.bcx
                        .ins()
                        .icmp(cranelift_codegen::ir::condcodes::IntCC::NotEqual, value, c)
                };
                // `as_static_if` gives (value, block if equal, block otherwise).
                fx.bcx.ins().brif(cond, else_block, &[], then_block, &[]);
            } else {
                let mut switch = Switch::new();
                for (v, bb) in targets.iter() {
                    let block = fx.block(bb);
                    switch.set_entry(v, block);
                }
                let otherwise = fx.block(targets.otherwise());
                switch.emit(&mut fx.bcx, value, otherwise);
            }
        }
        TerminatorKind::Assert {
            cond,
            expected,
            msg,
            target,
            ..
        } => {
            if !fx.tcx.sess.overflow_checks() && msg.is_optional_overflow_check() {
                abi::jump_or_trap(fx, Some(*target));
                return;
            }
            let cond = lower_operand(fx, cond).load_scalar(fx);
            let ok = fx.block(*target);
            let fail = fx.bcx.create_block();
            fx.bcx.set_cold_block(fail);
            if *expected {
                fx.bcx.ins().brif(cond, ok, &[], fail, &[]);
            } else {
                fx.bcx.ins().brif(cond, fail, &[], ok, &[]);
            }
            fx.bcx.switch_to_block(fail);
            lower_assert_panic(fx, msg, source_info);
        }
        TerminatorKind::Drop { place, target, .. } => {
            let place = lower_place(fx, *place);
            abi::lower_drop(fx, source_info, place, *target);
        }
        TerminatorKind::Call {
            func,
            args,
            destination,
            target,
            fn_span,
            ..
        } => {
            let call_info = mir::SourceInfo {
                span: *fn_span,
                ..source_info
            };
            fx.span = *fn_span;
            abi::lower_call(fx, call_info, func, args, *destination, *target);
        }
        TerminatorKind::TailCall { .. } => {
            fx.unsupported("explicit tail calls (`become`)");
            fx.trap_unreachable();
        }
        TerminatorKind::InlineAsm {
            asm_macro,
            template,
            operands,
            options,
            targets,
            ..
        } => super::inline_asm::lower_inline_asm(
            fx,
            super::inline_asm::AsmBlock {
                asm_macro: *asm_macro,
                template,
                operands,
                options: *options,
                targets,
            },
        ),
        TerminatorKind::Yield { .. }
        | TerminatorKind::FalseEdge { .. }
        | TerminatorKind::FalseUnwind { .. }
        | TerminatorKind::CoroutineDrop => fx.bug(format!("{:?} reached codegen", term.kind)),
    }
}

/// Calls the panic lang item matching a failed assertion; never returns.
fn lower_assert_panic<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    msg: &AssertKind<mir::Operand<'tcx>>,
    source_info: mir::SourceInfo,
) {
    let (lang_item, args): (LangItem, Vec<Val<'tcx>>) = match msg {
        AssertKind::BoundsCheck { len, index } => (
            LangItem::PanicBoundsCheck,
            vec![lower_operand(fx, index), lower_operand(fx, len)],
        ),
        AssertKind::MisalignedPointerDereference { required, found } => (
            LangItem::PanicMisalignedPointerDereference,
            vec![lower_operand(fx, required), lower_operand(fx, found)],
        ),
        AssertKind::NullPointerDereference => (LangItem::PanicNullPointerDereference, vec![]),
        AssertKind::InvalidEnumConstruction(source) => (
            LangItem::PanicInvalidEnumConstruction,
            vec![lower_operand(fx, source)],
        ),
        _ => (msg.panic_function(), vec![]),
    };
    call_panic(fx, lang_item, args, source_info);
}

/// Calls a panicking lang item (its `#[track_caller]` location is added
/// by the call) and marks the rest of the block unreachable.
pub(crate) fn call_panic<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    lang_item: LangItem,
    args: Vec<Val<'tcx>>,
    source_info: mir::SourceInfo,
) {
    let def_id = fx.tcx.require_lang_item(lang_item, source_info.span);
    let instance = Instance::mono(fx.tcx, def_id);
    abi::call_instance(fx, instance, args, None, source_info);
    fx.trap_unreachable();
}
