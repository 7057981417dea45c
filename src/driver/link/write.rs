//! Writing the linked object through the shared ELF writer. Calls between
//! `.text` functions become direct; what libbpf resolves keeps its
//! relocation. The merged `.BTF`/`.BTF.ext` come from [`super::btf`].

use super::graph::Graph;
use super::inputs::{Input, Target};
use super::layout::{Naming, output_section};
use crate::bpf::object::{Binding, CallResolution, ElfBuilder};

/// The ELF bytes of the kept atoms.
pub(super) fn write(
    inputs: &[Input],
    graph: &Graph,
    naming: &Naming,
    big_endian: bool,
) -> Result<Vec<u8>, String> {
    let mut elf = ElfBuilder::new(big_endian);
    let mut bases = vec![None; graph.atoms.len()];
    for (a, atom) in graph.atoms.iter().enumerate() {
        if !graph.kept[a] {
            continue;
        }
        let input = &inputs[atom.input];
        let section = &input.sections[atom.section];
        let out = elf.section(output_section(&section.name), section.kind)?;
        let len = atom.end - atom.start;
        let bytes = if section.data.is_empty() {
            None
        } else {
            let range = usize::try_from(atom.start).map_err(|e| e.to_string())?
                ..usize::try_from(atom.end).map_err(|e| e.to_string())?;
            Some(section.data.get(range).ok_or_else(|| {
                format!(
                    "`{}`: section `{}` is truncated",
                    input.origin, section.name
                )
            })?)
        };
        let base = elf.append(out, bytes, len, section.align)?;
        bases[a] = Some(base);
        if naming.synthetic[a] {
            elf.define_symbol(&naming.anchors[a], Binding::Local, out, base, len)?;
        }
        for (&k, out_name) in atom.symbols.iter().zip(&naming.names[a]) {
            let (_, offset, size) = input.symbols[k].def.unwrap_or_default();
            elf.define_symbol(
                &out_name.name,
                out_name.binding,
                out,
                base + (offset - atom.start),
                size,
            )?;
        }
        for (r, reloc) in section.relocs.iter().enumerate() {
            if reloc.offset < atom.start || reloc.offset >= atom.end {
                continue;
            }
            let Some(dest) = graph.dests.get(&(atom.input, atom.section, r)) else {
                if let Some(kfunc) = graph.kfunc_calls.get(&(atom.input, atom.section, r)) {
                    // The kernel function stays an undefined symbol.
                    let addend = match &reloc.target {
                        Target::Named { addend, .. } => *addend,
                        Target::Local { .. } => 0,
                    };
                    let at = base + (reloc.offset - atom.start);
                    elf.add_reloc(out, at, reloc.kind, kfunc, addend);
                }
                continue;
            };
            elf.add_reloc(
                out,
                base + (reloc.offset - atom.start),
                reloc.kind,
                &naming.anchors[dest.atom],
                dest.offset,
            );
        }
    }
    let (btf, ext) = super::btf::link_btf(
        inputs,
        graph,
        naming,
        &bases,
        |name| elf.section_size(name),
        big_endian,
    )?;
    elf.set_btf(btf, ext);
    elf.finish(CallResolution::Direct)
}
