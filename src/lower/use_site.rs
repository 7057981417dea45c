//! Where to report a construct the backend cannot lower. A SIMD or LLVM
//! intrinsic usually sits in a library function (`core::arch`,
//! `core::simd`) that the user's crate merely instantiates or inlines; its
//! span inside the library says little. The error goes to the user's code
//! instead: the call that MIR inlining replaced by the library's body, or
//! the local call that (through other library functions of this crate's
//! codegen units) reaches the library function, with a note pointing at
//! the construct itself.

use rustc_hir::def::DefKind;
use rustc_middle::mir::{self, SourceScope, TerminatorKind};
use rustc_middle::mono::MonoItem;
use rustc_middle::ty::{self, Instance, TyCtxt};
use rustc_span::Span;

/// How many library functions may lie between the user's call and the
/// construct before the search gives up (it only runs for an error).
const MAX_DEPTH: usize = 8;

/// Reports `message` about the construct at `span`, in source scope `scope`
/// of `instance`'s MIR, at the user's code that reaches it.
pub(super) fn report_unsupported<'tcx>(
    tcx: TyCtxt<'tcx>,
    instance: Instance<'tcx>,
    mir: &mir::Body<'tcx>,
    scope: SourceScope,
    span: Span,
    message: String,
) {
    let (site, via) = match outermost_inlined_call(mir, scope) {
        Some((callee, call_span)) => (Some(call_span), callee),
        None => (None, instance),
    };
    let site = if instance.def_id().is_local() {
        site
    } else {
        local_call_to(tcx, instance)
    };
    match site {
        Some(site) if site != span => {
            tcx.dcx()
                .struct_span_err(site, message)
                .with_span_note(span, format!("used here, in `{via}`"))
                .emit();
        }
        _ => {
            tcx.dcx().span_err(span, message);
        }
    }
}

/// The callee and call site of the outermost call MIR inlining replaced to
/// produce the code of `scope`, if any.
fn outermost_inlined_call<'tcx>(
    mir: &mir::Body<'tcx>,
    scope: SourceScope,
) -> Option<(Instance<'tcx>, Span)> {
    let scopes = &mir.source_scopes;
    let mut root = if scopes[scope].inlined.is_some() {
        Some(scope)
    } else {
        scopes[scope].inlined_parent_scope
    };
    let mut outermost = None;
    while let Some(current) = root {
        outermost = scopes[current].inlined;
        root = scopes[current].inlined_parent_scope;
    }
    outermost
}

/// The span of a call in a function of the local crate that reaches
/// `target` through the functions of this crate's codegen units.
fn local_call_to<'tcx>(tcx: TyCtxt<'tcx>, target: Instance<'tcx>) -> Option<Span> {
    let functions: Vec<Instance<'tcx>> = tcx
        .collect_and_partition_mono_items(())
        .codegen_units
        .iter()
        .flat_map(|cgu| cgu.items_in_deterministic_order(tcx))
        .filter_map(|(item, _)| match item {
            MonoItem::Fn(instance) => Some(instance),
            _ => None,
        })
        .collect();
    let mut targets = vec![target];
    for _ in 0..MAX_DEPTH {
        let mut callers = Vec::new();
        for &caller in &functions {
            if targets.contains(&caller) {
                continue;
            }
            let Some(span) = call_to_any(tcx, caller, &targets) else {
                continue;
            };
            if caller.def_id().is_local() {
                return Some(span);
            }
            callers.push(caller);
        }
        if callers.is_empty() {
            return None;
        }
        targets.extend(callers);
    }
    None
}

/// The span of a call in `caller` to one of `targets`.
fn call_to_any<'tcx>(
    tcx: TyCtxt<'tcx>,
    caller: Instance<'tcx>,
    targets: &[Instance<'tcx>],
) -> Option<Span> {
    if !matches!(caller.def, ty::InstanceKind::Item(_)) {
        return None;
    }
    let mir = tcx.instance_mir(caller.def);
    let typing_env = ty::TypingEnv::fully_monomorphized();
    mir.basic_blocks.iter().find_map(|block| {
        let TerminatorKind::Call { func, fn_span, .. } = &block.terminator().kind else {
            return None;
        };
        let ty = caller.instantiate_mir_and_normalize_erasing_regions(
            tcx,
            typing_env,
            ty::EarlyBinder::bind(func.ty(mir, tcx)),
        );
        let ty::FnDef(def_id, args) = *ty.kind() else {
            return None;
        };
        if !matches!(tcx.def_kind(def_id), DefKind::Fn | DefKind::AssocFn) {
            return None;
        }
        let callee = Instance::try_resolve(tcx, typing_env, def_id, args).ok()??;
        targets.contains(&callee).then_some(*fn_span)
    })
}
