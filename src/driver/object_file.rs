//! Writing a unit's `.o` file where rustc expects it: a Cranelift object
//! module (tagged with the producer and the vtable layout it was built with,
//! with its DWARF when asked for) or the bytes of an eBPF object.

use std::fs::File;
use std::io::{BufWriter, Write};

use cranelift_object::ObjectModule;
use rustc_codegen_ssa::{CompiledModule, ModuleKind};
use rustc_middle::ty::TyCtxt;
use rustc_session::config::OutputType;

use crate::native::debuginfo::DebugContext;
use crate::options::BackendOptions;

/// Writes the module's object to rustc's temporary path for the unit.
pub(super) fn emit(
    tcx: TyCtxt<'_>,
    module: ObjectModule,
    name: &str,
    options: &BackendOptions,
    debug: Option<DebugContext>,
) -> CompiledModule {
    let trampolines = super::variadic::trampolines_used(&module);
    let vtables = crate::vtable::relative_vtables(options.vtables, &module);
    let mut product = module.finish();
    if let Err(err) = crate::vtable::resolve_relative_entries(&mut product, &vtables) {
        tcx.dcx().fatal(err);
    }
    if let Some(debug) = debug
        && let Err(err) = debug.emit(&mut product)
    {
        tcx.dcx().fatal(err);
    }
    let mut object = product.object;
    if let Err(err) = super::variadic::define_trampolines(&mut object, &trampolines) {
        tcx.dcx().fatal(err);
    }
    let comment = object.add_section(
        Vec::new(),
        b".comment".to_vec(),
        cranelift_object::object::SectionKind::OtherString,
    );
    let mut producer = vec![0];
    producer.extend(format!("rustc_codegen_bpf {}", env!("CARGO_PKG_VERSION")).as_bytes());
    producer.push(0);
    object.set_section_data(comment, producer, 1);
    // Record the vtable layout so that mixing objects built with different
    // layouts is caught at link time.
    super::vtable_note::add(&mut object, options.vtables);

    write_unit(tcx, name, |writer| {
        object.write_stream(writer).map_err(|e| e.to_string())
    })
}

/// Writes an already serialised object (an eBPF unit) to rustc's temporary
/// path for the unit.
pub(super) fn emit_bytes(tcx: TyCtxt<'_>, name: &str, bytes: &[u8]) -> CompiledModule {
    write_unit(tcx, name, |writer| {
        writer.write_all(bytes).map_err(|e| e.to_string())
    })
}

fn write_unit(
    tcx: TyCtxt<'_>,
    name: &str,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), String>,
) -> CompiledModule {
    let path = tcx
        .output_filenames(())
        .temp_path_for_cgu(OutputType::Object, name);
    let written = File::create(&path)
        .map_err(|e| e.to_string())
        .and_then(|file| {
            let mut writer = BufWriter::new(file);
            write(&mut writer)?;
            writer.into_inner().map_err(|e| e.to_string()).map(drop)
        });
    if let Err(err) = written {
        tcx.dcx().fatal(format!(
            "cannot write object file {}: {err}",
            path.display()
        ));
    }
    CompiledModule {
        name: name.to_string(),
        kind: ModuleKind::Regular,
        object: Some(path),
        dwarf_object: None,
        bytecode: None,
        assembly: None,
        llvm_ir: None,
        links_from_incr_cache: Vec::new(),
    }
}
