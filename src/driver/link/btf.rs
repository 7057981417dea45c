//! The linked object's `.BTF` and `.BTF.ext`: the FUNCs, VARs and types of
//! what the link keeps, merged across inputs (see [`crate::btf::merge`]),
//! func_info, line_info and CO-RE records moved to the output section
//! offsets (CO-RE roots imported like any type), and
//! DATASECs rebuilt from the output sections and symbols, and the
//! `.ksyms` externs of the kfuncs kept code calls. Code that came
//! without BTF gets a FUNC with an empty prototype and a line record at
//! its start, since the kernel wants every subprogram described once any
//! is.

use super::graph::Graph;
use super::inputs::Input;
use super::layout::{Naming, output_section};
use crate::bpf::object::{Binding, SectionKind};
use crate::btf::SourceLine;
use crate::btf::merge::{Imported, Merger};
use crate::btf::object::ObjectBtf;
use crate::btf::types::{CoreAccess, Kind, TypeId};

/// A function of the output: section, offset, FUNC (imported) or the
/// name to synthesise one with, and lines relative to its start.
struct OutFunction {
    section: String,
    offset: u64,
    func: Result<TypeId, String>,
    lines: Vec<(u32, SourceLine)>,
}

/// A global of the output.
struct OutVariable {
    section: String,
    name: String,
    ty: TypeId,
    global: bool,
    offset: u64,
    size: u64,
}

/// Encodes the BTF of the kept atoms, `bases[a]` being the output offset
/// of kept atom `a`; `section_size` gives output section sizes.
pub(super) fn link_btf(
    inputs: &[Input],
    graph: &Graph,
    naming: &Naming,
    bases: &[Option<u64>],
    section_size: impl Fn(&str) -> u64,
    big_endian: bool,
) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
    let mut merger = Merger::new();
    let mut seen: Vec<Imported> = inputs.iter().map(|_| Imported::default()).collect();
    let mut functions = Vec::new();
    let mut variables = Vec::new();
    let mut core_relos = Vec::new();
    for (a, atom) in graph.atoms.iter().enumerate() {
        let Some(base) = bases[a] else {
            continue;
        };
        let input = &inputs[atom.input];
        let section = &input.sections[atom.section];
        let out_section = output_section(&section.name).to_string();
        let inside = |offset: u32| (atom.start..atom.end).contains(&u64::from(offset));
        let here = |offset: u32| base + (u64::from(offset) - atom.start);
        let fail = |e: String| format!("BTF of `{}`: {e}", input.origin);
        if section.kind == SectionKind::Code {
            let mut found = Vec::new();
            if let Some((btf, ext)) = &input.btf {
                for info in ext
                    .funcs
                    .iter()
                    .filter(|f| f.section == section.name && inside(f.insn_off))
                {
                    let func = merger
                        .import(btf, &mut seen[atom.input], info.func)
                        .map_err(fail)?;
                    found.push((here(info.insn_off), func));
                }
                for relo in ext
                    .core_relos
                    .iter()
                    .filter(|r| r.section == section.name && inside(r.insn_off))
                {
                    let root = merger
                        .import(btf, &mut seen[atom.input], relo.access.root)
                        .map_err(fail)?;
                    let access = CoreAccess {
                        root,
                        ..relo.access.clone()
                    };
                    core_relos.push((out_section.clone(), here(relo.insn_off), access));
                }
            }
            let mut lines: Vec<(u32, SourceLine)> = input
                .btf
                .iter()
                .flat_map(|(_, ext)| &ext.lines)
                .filter(|l| l.section == section.name && inside(l.insn_off))
                .map(|l| {
                    let line = SourceLine {
                        file: l.file.clone(),
                        text: l.text.clone(),
                        line: l.line,
                        col: l.col,
                    };
                    (l.insn_off - atom.start as u32, line)
                })
                .collect();
            lines.sort_by_key(|(offset, _)| *offset);
            if !found.iter().any(|&(offset, _)| offset == base) {
                functions.push(OutFunction {
                    section: out_section.clone(),
                    offset: base,
                    func: Err(naming.anchors[a].clone()),
                    lines: Vec::new(),
                });
            }
            for (i, (offset, func)) in found.into_iter().enumerate() {
                functions.push(OutFunction {
                    section: out_section.clone(),
                    offset,
                    func: Ok(func),
                    lines: if i == 0 {
                        std::mem::take(&mut lines)
                    } else {
                        Vec::new()
                    },
                });
            }
            continue;
        }
        let Some((btf, _)) = &input.btf else {
            continue;
        };
        for ty in btf.types() {
            let Kind::Datasec { vars, .. } = &ty.kind else {
                continue;
            };
            if ty.name != section.name {
                continue;
            }
            for var in vars.iter().filter(|v| inside(v.offset)) {
                let Some(Kind::Var { ty: var_ty, .. }) = btf.get(var.var).map(|t| &t.kind) else {
                    return Err(fail(format!("DATASEC `{}` lists a non-VAR", ty.name)));
                };
                // The output symbol at the variable's place names the VAR.
                let symbol = atom.symbols.iter().zip(&naming.names[a]).find(|&(&k, _)| {
                    input.symbols[k]
                        .def
                        .is_some_and(|d| d.1 == u64::from(var.offset))
                });
                let Some((_, out_name)) = symbol else {
                    continue;
                };
                variables.push(OutVariable {
                    section: out_section.clone(),
                    name: out_name.name.clone(),
                    ty: merger
                        .import(btf, &mut seen[atom.input], *var_ty)
                        .map_err(fail)?,
                    global: matches!(out_name.binding, Binding::Global | Binding::Weak),
                    offset: here(var.offset),
                    size: u64::from(var.size),
                });
            }
        }
    }

    let mut kfuncs = Vec::new();
    for (name, &(input, func)) in &graph.kfuncs {
        let fail = |e: String| format!("BTF of `{}`: {e}", inputs[input].origin);
        let Some((btf, _)) = &inputs[input].btf else {
            continue;
        };
        let Some(Kind::Func { proto, .. }) = btf.get(func).map(|t| &t.kind) else {
            return Err(fail(format!("`{name}` in `.ksyms` is not a FUNC")));
        };
        let proto = merger.import(btf, &mut seen[input], *proto).map_err(fail)?;
        kfuncs.push((name, proto));
    }
    let mut out = ObjectBtf::new(merger.finish());
    for (name, proto) in kfuncs {
        out.extern_function(name, proto)?;
    }
    for function in functions {
        match function.func {
            Ok(func) => out.func_info(&function.section, function.offset, func)?,
            Err(name) => {
                let proto = crate::btf::proto_of_sizes(out.btf_mut(), &[], None)?;
                out.function(&function.section, function.offset, &name, proto)?;
            }
        }
        out.function_lines(&function.section, function.offset, &function.lines)?;
    }
    for (section, offset, access) in core_relos {
        out.core_relo(&section, offset, access)?;
    }
    for v in variables {
        out.variable(&v.section, &v.name, v.ty, v.global, v.offset, v.size)?;
    }
    out.finish(section_size, big_endian)
}
