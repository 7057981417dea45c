//! One codegen unit for the eBPF targets: lowers the unit's items, compiles
//! each function with [`crate::bpf`], and writes the unit's ELF object.
//! Problems the verifier would reject are located at their source lines
//! here and left for the linker to report if the function is kept.

use cranelift_codegen::ir::SourceLoc;
use rustc_middle::mono::MonoItem;
use rustc_middle::ty::{self, Instance, TyCtxt};
use rustc_session::Session;
use rustc_session::config::OptLevel;
use rustc_span::Span;

use crate::bpf::module::BpfModule;
use crate::bpf::{BpfTarget, CompiledFunction, Cpu};
use crate::btf::from_rustc::RustTypes;
use crate::btf::types::CoreAccess;
use crate::btf::{FunctionDebug, SourceLine};

pub(super) fn codegen_cgu(
    tcx: TyCtxt<'_>,
    cgu_name: rustc_span::Symbol,
) -> rustc_codegen_ssa::CompiledModule {
    let target = bpf_target(tcx.sess);
    let optimize = tcx.sess.opts.optimize != OptLevel::No;
    let cgu = tcx.codegen_unit(cgu_name);
    let items = cgu.items_in_deterministic_order(tcx);
    let mut module = BpfModule::new(target, cgu_name.as_str());
    let mut types = RustTypes::new(tcx);
    super::lower_items(
        tcx,
        &mut module,
        &items,
        |module, ctx, lowered, instance| {
            let def_span = tcx.def_span(instance.def_id());
            let compiled = {
                let resolve = module.symbol_name_resolver(&ctx.func);
                crate::bpf::compile_function(
                    &ctx.func,
                    &target,
                    optimize,
                    &resolve,
                    &lowered.slot_markers,
                )
            };
            ctx.clear();
            match compiled {
                Ok(compiled) => {
                    describe_function(tcx, module, &mut types, &compiled, &lowered, instance);
                    crate::btf::kfuncs::declare_called(tcx, module, &mut types, instance);
                    let sites = compiled
                        .problems
                        .iter()
                        .map(|p| site(tcx, span_of(&lowered.spans, p.srcloc).unwrap_or(def_span)))
                        .collect();
                    let section = tcx
                        .codegen_instance_attrs(instance.def)
                        .link_section
                        .map(|s| s.to_string());
                    if let Err(err) =
                        module.define_compiled(lowered.func_id, section.as_deref(), compiled, sites)
                    {
                        tcx.dcx()
                            .span_err(def_span, format!("cannot define `{instance}`: {err}"));
                    }
                }
                Err(err) => {
                    let span = span_of(&lowered.spans, err.srcloc).unwrap_or(def_span);
                    tcx.dcx().span_err(
                        span,
                        format!(
                            "rustc_codegen_bpf cannot compile `{instance}` for BPF: {}",
                            err.message
                        ),
                    );
                }
            }
        },
    );
    for (item, _) in &items {
        if let MonoItem::Static(def_id) = *item {
            let instance = Instance::mono(tcx, def_id);
            let ty = instance.ty(tcx, ty::TypingEnv::fully_monomorphized());
            match types.type_id(module.btf_mut(), ty) {
                Ok(id) => module.set_data_type(tcx.symbol_name(instance).name, id),
                Err(err) => tcx.dcx().span_warn(
                    tcx.def_span(def_id),
                    format!("`{instance}` has no BTF description: {err}"),
                ),
            }
        }
    }
    if let Err(err) = crate::bpf::runtime::define_used(&mut module, &target) {
        tcx.dcx().err(err);
    }
    let bytes = module.finish();
    super::object_file::emit_bytes(tcx, cgu_name.as_str(), &bytes)
}

/// The ISA version (`-Ctarget-cpu`, default v3) and byte order.
pub(crate) fn bpf_target(sess: &Session) -> BpfTarget {
    let cpu = match sess.opts.cg.target_cpu.as_deref() {
        None | Some("v3") | Some("probe") => Cpu::V3,
        // LLVM's name for the base ISA.
        Some("v1") | Some("generic") => Cpu::V1,
        Some("v2") => Cpu::V2,
        Some("v4") => Cpu::V4,
        Some(other) => sess.dcx().fatal(format!(
            "unknown BPF cpu `{other}`; expected v1, v2, v3 (the default), v4 or generic"
        )),
    };
    BpfTarget {
        cpu,
        big_endian: sess.target.endian == rustc_abi::Endian::Big,
    }
}

/// Gives `module` the BTF of a compiled function: FUNC name, prototype
/// from the Rust signature, and source lines per instruction.
fn describe_function<'tcx>(
    tcx: TyCtxt<'tcx>,
    module: &mut BpfModule,
    types: &mut RustTypes<'tcx>,
    compiled: &CompiledFunction,
    lowered: &crate::lower::Lowered<'tcx>,
    instance: Instance<'tcx>,
) {
    let symbol = tcx.symbol_name(instance).name;
    let func = match types.function(module.btf_mut(), instance, symbol) {
        Ok(func) => func,
        Err(err) => {
            // The module describes the function from its machine signature.
            tcx.dcx().span_warn(
                tcx.def_span(instance.def_id()),
                format!("`{instance}` is described in BTF by its machine signature: {err}"),
            );
            return;
        }
    };
    let mut lines = vec![(0, source_line(tcx, tcx.def_span(instance.def_id())))];
    for &(offset, srcloc) in &compiled.srclocs {
        let Some(span) = span_of(&lowered.spans, srcloc) else {
            continue;
        };
        let line = source_line(tcx, span);
        match lines.last_mut() {
            Some((last, previous)) if *last == offset => *previous = line,
            Some((_, previous)) if *previous == line => {}
            _ => lines.push((offset, line)),
        }
    }
    let core_relos = match core_relocations(module, types, compiled, lowered) {
        Ok(relos) => relos,
        Err(err) => {
            tcx.dcx().span_err(
                tcx.def_span(instance.def_id()),
                format!("the CO-RE relocations of `{instance}`: {err}"),
            );
            Vec::new()
        }
    };
    module.set_function_debug(
        lowered.func_id,
        FunctionDebug {
            name: func.name,
            proto: func.proto,
            lines,
            core_relos,
        },
    );
}

/// The CO-RE records of a compiled function: each relocated constant's
/// instruction offset with its root type described in the module's BTF.
fn core_relocations<'tcx>(
    module: &mut BpfModule,
    types: &mut RustTypes<'tcx>,
    compiled: &CompiledFunction,
    lowered: &crate::lower::Lowered<'tcx>,
) -> Result<Vec<(u32, CoreAccess)>, String> {
    let mut relos = Vec::with_capacity(compiled.core_relos.len());
    for &(offset, site) in &compiled.core_relos {
        let site = lowered
            .core_sites
            .get(site as usize)
            .ok_or("a relocated constant without its site")?;
        let root = types.type_id(module.btf_mut(), site.root)?;
        relos.push((
            offset,
            CoreAccess {
                root,
                access: site.access.clone(),
                kind: site.kind as u32,
            },
        ));
    }
    Ok(relos)
}

/// File, line text, line and column of the start of `span`, seen from
/// the outermost macro call that produced it.
fn source_line(tcx: TyCtxt<'_>, span: Span) -> SourceLine {
    let span = span.source_callsite();
    let pos = tcx.sess.source_map().lookup_char_pos(span.lo());
    SourceLine {
        file: pos.file.name.prefer_remapped_unconditionally().to_string(),
        text: pos
            .file
            .get_line(pos.line.saturating_sub(1))
            .map(|l| l.trim_end().to_string())
            .unwrap_or_default(),
        line: u32::try_from(pos.line).unwrap_or(u32::MAX),
        col: u32::try_from(pos.col_display + 1).unwrap_or(u32::MAX),
    }
}

/// The span a lowered instruction's source location refers to.
fn span_of(spans: &[Span], srcloc: SourceLoc) -> Option<Span> {
    if srcloc.is_default() {
        return None;
    }
    spans.get(srcloc.bits() as usize).copied()
}

/// `file:line:col` of a span, as problems and link errors print it.
fn site(tcx: TyCtxt<'_>, span: Span) -> String {
    let pos = tcx.sess.source_map().lookup_char_pos(span.lo());
    format!(
        "{}:{}:{}",
        pos.file.name.prefer_remapped_unconditionally(),
        pos.line,
        pos.col_display + 1
    )
}
