//! Cranelift's target-independent optimiser (legalisation, unreachable-code
//! removal, and at `-Copt-level` above 0 the e-graph pass: GVN, constant
//! folding, LICM, algebraic simplification) run on a function before BPF
//! instruction selection.
//!
//! The passes need a `TargetIsa` only for its flags and pointer width; an
//! x86_64 ISA (64-bit like BPF) serves, or else the host's. Nothing
//! x86-specific reaches the IR: legalisation only expands generic forms.

use std::sync::{Arc, OnceLock};

use cranelift_codegen::Context;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::Function;
use cranelift_codegen::isa::{self, TargetIsa};
use cranelift_codegen::settings::{self, Configurable};

/// The x86_64 ISA (optimising) the passes, and the BPF module's frontend
/// configuration, are built from.
pub(crate) fn optimizing_isa() -> Option<&'static Arc<dyn TargetIsa>> {
    static ISA: OnceLock<Option<Arc<dyn TargetIsa>>> = OnceLock::new();
    ISA.get_or_init(|| {
        let mut flags = settings::builder();
        flags.set("opt_level", "speed").ok()?;
        let triple: target_lexicon::Triple = "x86_64-unknown-linux-gnu".parse().ok()?;
        // Should a build lack x86_64, the host ISA is 64-bit as well.
        isa::lookup(triple)
            .or_else(|_| isa::lookup(target_lexicon::Triple::host()))
            .ok()?
            .finish(settings::Flags::new(flags))
            .ok()
    })
    .as_ref()
}

/// `func` optimised, or an error naming why the optimiser refused it.
/// Pointer equality compares the verifier cannot decide are first
/// rewritten as compares of offsets ([`super::offset_compares`]).
pub(crate) fn optimize(func: &Function) -> Result<Function, String> {
    let isa = optimizing_isa().ok_or("the optimiser's ISA is not available")?;
    let mut func = func.clone();
    super::offset_compares::rewrite(&mut func);
    let mut ctx = Context::for_function(func);
    ctx.optimize(isa.as_ref(), &mut ControlPlane::default())
        .map_err(|e| format!("optimisation failed: {e}"))?;
    Ok(ctx.func)
}
