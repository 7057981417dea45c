//! The kernel functions a function calls as kfuncs: foreign functions whose
//! link name is `bpf_builtins.kfunc.NAME` (see [`crate::bpf::builtins`]),
//! found in its MIR and declared to the module with their FUNC_PROTO, from
//! which the object's `.ksyms` externs are written.

use rustc_middle::mir::TerminatorKind;
use rustc_middle::ty::{Instance, TyCtxt};

use super::from_rustc::RustTypes;
use crate::bpf::builtins;
use crate::bpf::module::BpfModule;

/// Declares in `module` every kfunc `instance` calls directly.
pub(crate) fn declare_called<'tcx>(
    tcx: TyCtxt<'tcx>,
    module: &mut BpfModule,
    types: &mut RustTypes<'tcx>,
    instance: Instance<'tcx>,
) {
    let body = tcx.instance_mir(instance.def);
    for block in body.basic_blocks.iter() {
        let TerminatorKind::Call { func, .. } = &block.terminator().kind else {
            continue;
        };
        let Some((def_id, _)) = func.const_fn_def() else {
            continue;
        };
        if !tcx.is_foreign_item(def_id) {
            continue;
        }
        let callee = Instance::mono(tcx, def_id);
        let Some(name) = builtins::kfunc_name(tcx.symbol_name(callee).name) else {
            continue;
        };
        match types.foreign_proto(module.btf_mut(), callee) {
            Ok(proto) => module.declare_kfunc(name, proto),
            Err(err) => {
                tcx.dcx().span_err(
                    tcx.def_span(def_id),
                    format!("kfunc `{name}` cannot be described in BTF: {err}"),
                );
            }
        }
    }
}
