//! Atoms (a function or data object with its bytes), symbol resolution across
//! inputs and reachability from the roots: what the link keeps.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::inputs::{Input, Target};
use crate::bpf::builtins;
use crate::bpf::object::{Binding, RelocKind, SectionKind};
use crate::btf::types::TypeId;

/// An indivisible piece of an input section: one symbol's bytes, or the
/// whole section when its symbols do not tile it.
pub(super) struct Atom {
    pub(super) input: usize,
    pub(super) section: usize,
    pub(super) start: u64,
    pub(super) end: u64,
    /// Symbols (indices into the input's symbols) defined inside.
    pub(super) symbols: Vec<usize>,
}

/// Where a reference lands: an atom and a byte offset from its start.
#[derive(Clone, Copy)]
pub(super) struct Dest {
    pub(super) atom: usize,
    pub(super) offset: i64,
}

/// The kept part of the link.
pub(super) struct Graph {
    pub(super) atoms: Vec<Atom>,
    pub(super) kept: Vec<bool>,
    /// For every reloc of a kept atom: (input, section, reloc index) -> dest.
    pub(super) dests: HashMap<(usize, usize, usize), Dest>,
    /// The definitions (input, symbol) global names resolved to.
    pub(super) picked: HashSet<(usize, usize)>,
    /// Calls of kernel functions (kfuncs) by kept atoms: (input, section,
    /// reloc index) -> kernel name. They stay relocations against
    /// undefined symbols, which libbpf resolves.
    pub(super) kfunc_calls: HashMap<(usize, usize, usize), String>,
    /// The kfuncs called, each with an input describing it in `.ksyms` and
    /// the extern FUNC there.
    pub(super) kfuncs: BTreeMap<String, (usize, TypeId)>,
}

/// Section names whose contents libbpf reads whether referenced or not.
pub(super) fn is_root_section(name: &str) -> bool {
    matches!(name, "license" | "version" | ".maps" | "maps") || name.starts_with("maps/")
}

/// Splits every section into atoms.
fn atoms_of(inputs: &[Input]) -> Vec<Atom> {
    let mut atoms = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        for (s, section) in input.sections.iter().enumerate() {
            let mut defs: Vec<(u64, u64, usize)> = input
                .symbols
                .iter()
                .enumerate()
                .filter_map(|(k, sym)| match sym.def {
                    Some((sec, offset, size)) if sec == s => Some((offset, size, k)),
                    _ => None,
                })
                .collect();
            defs.sort();
            let sized: Vec<_> = defs.iter().filter(|d| d.1 > 0).collect();
            let tiles = !sized.is_empty()
                && sized.windows(2).all(|w| w[0].0 + w[0].1 <= w[1].0)
                && sized.iter().all(|d| d.0 + d.1 <= section.size);
            if !tiles {
                atoms.push(Atom {
                    input: i,
                    section: s,
                    start: 0,
                    end: section.size,
                    symbols: defs.iter().map(|d| d.2).collect(),
                });
                continue;
            }
            let first = atoms.len();
            for &&(offset, size, k) in &sized {
                atoms.push(Atom {
                    input: i,
                    section: s,
                    start: offset,
                    end: offset + size,
                    symbols: vec![k],
                });
            }
            // Unsized symbols (labels) join the atom they fall in.
            for &(offset, size, k) in &defs {
                if size == 0
                    && let Some(atom) = atoms[first..]
                        .iter_mut()
                        .find(|a| a.start <= offset && offset < a.end)
                {
                    atom.symbols.push(k);
                }
            }
        }
    }
    atoms
}

/// Resolves names to definitions and walks the references from the roots.
pub(super) fn reachable(inputs: &[Input], roots: &[String]) -> Result<Graph, Vec<String>> {
    let atoms = atoms_of(inputs);
    // (input, symbol) -> atom, and section byte -> atom lookups.
    let mut atom_of_symbol = HashMap::new();
    let mut by_section: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (a, atom) in atoms.iter().enumerate() {
        for &k in &atom.symbols {
            atom_of_symbol.insert((atom.input, k), a);
        }
        by_section
            .entry((atom.input, atom.section))
            .or_default()
            .push(a);
    }
    let mut globals: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        for (k, sym) in input.symbols.iter().enumerate() {
            if sym.def.is_some() && sym.binding != Binding::Local {
                globals.entry(&sym.name).or_default().push((i, k));
            }
        }
    }
    let mut errors = Vec::new();
    let mut resolved: HashMap<String, Option<Dest>> = HashMap::new();
    let mut picked = HashSet::new();
    let mut resolve = |name: &str, errors: &mut Vec<String>| -> Option<Dest> {
        if let Some(dest) = resolved.get(name) {
            return *dest;
        }
        let dest = match pick_definition(inputs, name, globals.get(name).map_or(&[][..], |v| v)) {
            Ok(Some((i, k))) => atom_of_symbol.get(&(i, k)).map(|&atom| {
                picked.insert((i, k));
                let sym_offset = inputs[i].symbols[k].def.map_or(0, |d| d.1);
                Dest {
                    atom,
                    offset: sym_offset as i64 - atoms[atom].start as i64,
                }
            }),
            Ok(None) => None,
            Err(err) => {
                errors.push(err);
                None
            }
        };
        resolved.insert(name.to_string(), dest);
        dest
    };

    let mut kept = vec![false; atoms.len()];
    let mut work = Vec::new();
    for (a, atom) in atoms.iter().enumerate() {
        let section = &inputs[atom.input].sections[atom.section];
        let program = section.kind == SectionKind::Code && section.name != ".text";
        if program || is_root_section(&section.name) {
            work.push(a);
        }
    }
    for root in roots {
        if let Some(dest) = resolve(root, &mut errors) {
            work.push(dest.atom);
        }
    }
    let mut dests = HashMap::new();
    let mut kfunc_calls = HashMap::new();
    let mut kfuncs = BTreeMap::new();
    while let Some(a) = work.pop() {
        if std::mem::replace(&mut kept[a], true) {
            continue;
        }
        let atom = &atoms[a];
        let input = &inputs[atom.input];
        let section = &input.sections[atom.section];
        for (r, reloc) in section.relocs.iter().enumerate() {
            if reloc.offset < atom.start || reloc.offset >= atom.end {
                continue;
            }
            let dest = match &reloc.target {
                Target::Named { name, addend } => match resolve(name, &mut errors) {
                    Some(dest) => Some(Dest {
                        atom: dest.atom,
                        offset: dest.offset + addend,
                    }),
                    None => {
                        match input.kfunc(name) {
                            Some(func) if reloc.kind == RelocKind::Call => {
                                kfunc_calls.insert((atom.input, atom.section, r), name.clone());
                                kfuncs.entry(name.clone()).or_insert((atom.input, func));
                            }
                            _ => errors.push(undefined(name, &describe_atom(inputs, atom), input)),
                        }
                        None
                    }
                },
                Target::Local { section: s, offset } => by_section
                    .get(&(atom.input, *s))
                    .and_then(|list| {
                        list.iter()
                            .find(|&&t| atoms[t].start <= *offset && *offset < atoms[t].end)
                            .or_else(|| list.iter().find(|&&t| atoms[t].end == *offset))
                    })
                    .map(|&t| Dest {
                        atom: t,
                        offset: *offset as i64 - atoms[t].start as i64,
                    })
                    .or_else(|| {
                        errors.push(format!(
                            "`{}` in `{}` refers to offset {offset:#x} of `{}`, outside any symbol",
                            display_name(inputs, atom),
                            input.origin,
                            input.sections[*s].name
                        ));
                        None
                    }),
            };
            if let Some(dest) = dest {
                dests.insert((atom.input, atom.section, r), dest);
                work.push(dest.atom);
            }
        }
    }
    if errors.is_empty() {
        Ok(Graph {
            atoms,
            kept,
            dests,
            picked,
            kfunc_calls,
            kfuncs,
        })
    } else {
        errors.sort();
        errors.dedup();
        Err(errors)
    }
}

/// The error for a reference from `user` (an atom as [`describe_atom`]
/// gives it) in `input` to `name`, which nothing defines.
fn undefined(name: &str, user: &str, input: &Input) -> String {
    let kernel = match (builtins::helper_id(name), builtins::kfunc_name(name)) {
        (Some(Ok(id)), _) => Some(format!("kernel helper {id}")),
        (_, Some(kfunc)) => Some(format!("kfunc `{kfunc}`")),
        _ => None,
    };
    if let Some(kernel) = kernel {
        return format!(
            "{user} in `{}` takes the address of {kernel}; kernel helpers and kfuncs \
             can only be called",
            input.origin
        );
    }
    format!(
        "undefined symbol `{name}`, referenced by {user} in `{}`",
        input.origin
    )
}

/// Chooses among the definitions of a global name: a strong definition
/// beats weak ones, the first of several weak ones wins, and two strong
/// definitions are an error unless their bytes are identical.
fn pick_definition(
    inputs: &[Input],
    name: &str,
    candidates: &[(usize, usize)],
) -> Result<Option<(usize, usize)>, String> {
    let strong: Vec<_> = candidates
        .iter()
        .filter(|&&(i, k)| inputs[i].symbols[k].binding != Binding::Weak)
        .collect();
    let Some(&&first) = strong.first() else {
        return Ok(candidates.first().copied());
    };
    for &&(i, k) in &strong[1..] {
        if symbol_bytes(inputs, first) != symbol_bytes(inputs, (i, k)) {
            return Err(format!(
                "`{name}` is defined in both `{}` and `{}`",
                inputs[first.0].origin, inputs[i].origin
            ));
        }
    }
    Ok(Some(first))
}

/// The bytes a symbol covers, for comparing duplicate definitions.
fn symbol_bytes(inputs: &[Input], (i, k): (usize, usize)) -> Option<&[u8]> {
    let (s, offset, size) = inputs[i].symbols[k].def?;
    let data = &inputs[i].sections[s].data;
    data.get(usize::try_from(offset).ok()?..usize::try_from(offset + size).ok()?)
}

/// The name of an atom for messages: its first symbol, or its section.
pub(super) fn atom_name(inputs: &[Input], atom: &Atom) -> String {
    let input = &inputs[atom.input];
    atom.symbols
        .iter()
        .map(|&k| &input.symbols[k])
        .find(|sym| sym.def.is_some_and(|d| d.1 == atom.start))
        .map(|sym| sym.name.clone())
        .unwrap_or_else(|| format!("{}+{:#x}", input.sections[atom.section].name, atom.start))
}

/// The name of an atom as messages show it: demangled, without the hash.
pub(super) fn display_name(inputs: &[Input], atom: &Atom) -> String {
    format!("{:#}", rustc_demangle::demangle(&atom_name(inputs, atom)))
}

/// An atom for messages: its name in backquotes, followed by the source
/// file and line its code starts at when the object's line info knows
/// them: `` `name` (src/main.rs:12)``.
pub(super) fn describe_atom(inputs: &[Input], atom: &Atom) -> String {
    let name = display_name(inputs, atom);
    let input = &inputs[atom.input];
    let section = &input.sections[atom.section].name;
    let line = input.btf.as_ref().and_then(|(_, ext)| {
        ext.lines
            .iter()
            .find(|l| &l.section == section && u64::from(l.insn_off) == atom.start && l.line != 0)
    });
    match line {
        Some(l) => format!("`{name}` ({}:{})", l.file, l.line),
        None => format!("`{name}`"),
    }
}
