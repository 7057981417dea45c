//! Reading the linker's inputs: eBPF ELF objects, alone or as members of
//! rlib archives, into a plain model of their sections, symbols and
//! relocations with every implicit addend decoded.

use std::path::Path;

use crate::btf::object::KSYMS_SECTION;
use crate::btf::types::{Btf, BtfExt, Kind, Linkage, TypeId};

use object::read::archive::ArchiveFile;
use object::read::elf::{ElfFile64, FileHeader};
use object::{
    Object, ObjectSection, ObjectSymbol, RelocationTarget, SectionFlags, SymbolKind, SymbolSection,
    elf,
};

use crate::bpf::object::{
    BTF_EXT_SECTION, BTF_SECTION, Binding, FUNCS_NOTE_SECTION, FunctionNote, INSN_SIZE, RelocKind,
    SectionKind, decode_function_notes,
};

/// One object file.
pub(super) struct Input {
    /// `path` or `archive(member)`, for messages.
    pub(super) origin: String,
    pub(super) sections: Vec<Section>,
    pub(super) symbols: Vec<Sym>,
    pub(super) notes: Vec<FunctionNote>,
    /// The object's `.BTF` and `.BTF.ext` (empty when it has none).
    pub(super) btf: Option<(Btf, BtfExt)>,
}

impl Input {
    /// The extern FUNC the object's `.ksyms` DATASEC lists for the kernel
    /// function `name`, when it calls `name` as a kfunc.
    pub(super) fn kfunc(&self, name: &str) -> Option<TypeId> {
        let (btf, _) = self.btf.as_ref()?;
        btf.types()
            .iter()
            .filter(|ty| ty.name == KSYMS_SECTION)
            .filter_map(|ty| match &ty.kind {
                Kind::Datasec { vars, .. } => Some(vars),
                _ => None,
            })
            .flatten()
            .map(|v| v.var)
            .find(|&id| {
                btf.get(id).is_some_and(|t| {
                    t.name == name
                        && matches!(
                            t.kind,
                            Kind::Func {
                                linkage: Linkage::Extern,
                                ..
                            }
                        )
                })
            })
    }
}

/// An allocated section holding code or data.
pub(super) struct Section {
    pub(super) name: String,
    pub(super) kind: SectionKind,
    /// Contents; empty for zero-data sections.
    pub(super) data: Vec<u8>,
    pub(super) size: u64,
    pub(super) align: u64,
    /// Sorted by offset.
    pub(super) relocs: Vec<Reloc>,
}

/// A named symbol (section and file symbols are not kept).
pub(super) struct Sym {
    pub(super) name: String,
    pub(super) binding: Binding,
    /// Section index into [`Input::sections`], offset and size; `None` when
    /// undefined.
    pub(super) def: Option<(usize, u64, u64)>,
}

/// A reference from a place in a section.
pub(super) struct Reloc {
    pub(super) offset: u64,
    pub(super) kind: RelocKind,
    pub(super) target: Target,
}

/// What a reference points at.
#[derive(Clone)]
pub(super) enum Target {
    /// A global or weak symbol (resolved across inputs) plus a byte offset.
    Named { name: String, addend: i64 },
    /// A byte of a section of the same input.
    Local { section: usize, offset: u64 },
}

/// Reads every input; archive members that are not ELF (`lib.rmeta`) are
/// skipped.
pub(super) fn read_inputs(
    paths: &[impl AsRef<Path>],
    big_endian: bool,
) -> Result<Vec<Input>, Vec<String>> {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                errors.push(format!("cannot read `{}`: {err}", path.display()));
                continue;
            }
        };
        if bytes.starts_with(b"!<arch>\n") {
            match ArchiveFile::parse(&*bytes) {
                Ok(archive) => {
                    for member in archive.members() {
                        let read = member.map_err(|e| e.to_string()).and_then(|member| {
                            let name = String::from_utf8_lossy(member.name()).into_owned();
                            let data = member.data(&*bytes).map_err(|e| e.to_string())?;
                            Ok((name, data))
                        });
                        match read {
                            Ok((_, data)) if !data.starts_with(&elf::ELFMAG) => {}
                            Ok((name, data)) => {
                                let origin = format!("{}({name})", path.display());
                                match read_object(origin, data, big_endian) {
                                    Ok(input) => inputs.push(input),
                                    Err(err) => errors.push(err),
                                }
                            }
                            Err(err) => errors
                                .push(format!("cannot read archive `{}`: {err}", path.display())),
                        }
                    }
                }
                Err(err) => errors.push(format!("cannot read archive `{}`: {err}", path.display())),
            }
        } else {
            match read_object(path.display().to_string(), &bytes, big_endian) {
                Ok(input) => inputs.push(input),
                Err(err) => errors.push(err),
            }
        }
    }
    if errors.is_empty() {
        Ok(inputs)
    } else {
        Err(errors)
    }
}

fn read_object(origin: String, bytes: &[u8], big_endian: bool) -> Result<Input, String> {
    let bad = |what: String| format!("`{origin}`: {what}");
    let file = ElfFile64::<object::Endianness>::parse(bytes)
        .map_err(|e| bad(format!("not a 64-bit ELF object: {e}")))?;
    let header = file.elf_header();
    let endian = file.endian();
    let machine = header.e_machine(endian);
    if machine != elf::EM_BPF {
        return Err(bad(format!(
            "an ELF object for machine {machine}, not eBPF ({})",
            elf::EM_BPF
        )));
    }
    if header.e_type(endian) != elf::ET_REL {
        return Err(bad("not a relocatable object".into()));
    }
    if file.is_little_endian() == big_endian {
        let order = if big_endian { "big" } else { "little" };
        return Err(bad(format!(
            "byte order differs from the target's ({order}-endian)"
        )));
    }

    // Allocated sections with code or data, by ELF index.
    let mut sections = Vec::new();
    let mut by_index = std::collections::HashMap::new();
    let mut notes = Vec::new();
    let mut btf_bytes = None;
    let mut ext_bytes = None;
    for section in file.sections() {
        let name = section.name().map_err(|e| bad(e.to_string()))?.to_string();
        if name == BTF_SECTION || name == BTF_EXT_SECTION {
            let data = section.data().map_err(|e| bad(e.to_string()))?;
            *if name == BTF_SECTION {
                &mut btf_bytes
            } else {
                &mut ext_bytes
            } = Some(data);
            continue;
        }
        let SectionFlags::Elf { sh_flags } = section.flags() else {
            continue;
        };
        if name == FUNCS_NOTE_SECTION {
            let data = section.data().map_err(|e| bad(e.to_string()))?;
            notes = decode_function_notes(data).map_err(bad)?;
            continue;
        }
        if sh_flags & u64::from(elf::SHF_ALLOC) == 0 {
            continue;
        }
        let nobits = section.kind() == object::SectionKind::UninitializedData;
        let kind = if sh_flags & u64::from(elf::SHF_EXECINSTR) != 0 {
            SectionKind::Code
        } else if nobits {
            SectionKind::ZeroData
        } else if sh_flags & u64::from(elf::SHF_WRITE) != 0 {
            SectionKind::Data
        } else {
            SectionKind::ReadOnlyData
        };
        let data = if nobits {
            Vec::new()
        } else {
            section.data().map_err(|e| bad(e.to_string()))?.to_vec()
        };
        by_index.insert(section.index(), sections.len());
        sections.push(Section {
            name,
            kind,
            data,
            size: section.size(),
            align: section.align().max(1),
            relocs: Vec::new(),
        });
    }

    let mut symbols = Vec::new();
    let mut by_symbol = std::collections::HashMap::new();
    for symbol in file.symbols() {
        if matches!(symbol.kind(), SymbolKind::Section | SymbolKind::File) {
            continue;
        }
        let name = symbol.name().map_err(|e| bad(e.to_string()))?.to_string();
        if name.is_empty() {
            continue;
        }
        let def = match symbol.section() {
            SymbolSection::Section(index) => match by_index.get(&index) {
                Some(&section) => Some((section, symbol.address(), symbol.size())),
                // Symbols of sections the link does not carry (debug info).
                None => continue,
            },
            SymbolSection::Undefined => None,
            other => {
                return Err(bad(format!(
                    "symbol `{name}` in unsupported section {other:?}"
                )));
            }
        };
        let binding = if symbol.is_local() {
            Binding::Local
        } else if symbol.is_weak() {
            Binding::Weak
        } else if symbol.scope() == object::SymbolScope::Linkage {
            Binding::Hidden
        } else {
            Binding::Global
        };
        by_symbol.insert(symbol.index(), symbols.len());
        symbols.push(Sym { name, binding, def });
    }

    for section in file.sections() {
        let Some(&index) = by_index.get(&section.index()) else {
            continue;
        };
        let mut relocs = Vec::new();
        for (offset, reloc) in section.relocations() {
            let object::RelocationFlags::Elf { r_type } = reloc.flags() else {
                return Err(bad("relocation of unknown format".into()));
            };
            let sec = &sections[index];
            let kind = reloc_kind(r_type, sec, offset).ok_or_else(|| {
                bad(format!(
                    "relocation type {r_type} at {}+{offset:#x} is not supported",
                    sec.name
                ))
            })?;
            let implicit = implicit_addend(sec, offset, kind, big_endian).ok_or_else(|| {
                bad(format!(
                    "relocation at {}+{offset:#x} lies outside the section",
                    sec.name
                ))
            })?;
            let RelocationTarget::Symbol(sym_index) = reloc.target() else {
                return Err(bad(format!(
                    "relocation at {}+{offset:#x} has no symbol",
                    sec.name
                )));
            };
            let sym = file
                .symbol_by_index(sym_index)
                .map_err(|e| bad(e.to_string()))?;
            // Byte offset from the symbol the place refers to.
            let addend = match kind {
                RelocKind::Call => (implicit + 1) * INSN_SIZE as i64,
                _ => implicit,
            };
            let target = match by_symbol.get(&sym_index) {
                Some(&s) if symbols[s].binding != Binding::Local => Target::Named {
                    name: symbols[s].name.clone(),
                    addend,
                },
                _ => {
                    let SymbolSection::Section(target_index) = sym.section() else {
                        return Err(bad(format!(
                            "relocation at {}+{offset:#x} against an undefined local symbol",
                            sec.name
                        )));
                    };
                    let section = *by_index.get(&target_index).ok_or_else(|| {
                        bad(format!(
                            "relocation at {}+{offset:#x} into a section the link drops",
                            sec.name
                        ))
                    })?;
                    Target::Local {
                        section,
                        offset: sym.address().wrapping_add_signed(addend),
                    }
                }
            };
            relocs.push(Reloc {
                offset,
                kind,
                target,
            });
        }
        if sections[index].kind == SectionKind::Code {
            relocs.extend(direct_calls(&sections[index], index, &relocs, big_endian));
        }
        relocs.sort_by_key(|r| r.offset);
        sections[index].relocs = relocs;
    }
    let btf = match btf_bytes {
        Some(bytes) => {
            let parsed = crate::btf::read::read_btf(bytes).map_err(&bad)?;
            let ext = match ext_bytes {
                Some(ext) => crate::btf::read::read_ext(ext, &parsed).map_err(&bad)?,
                None => BtfExt::default(),
            };
            Some((parsed.btf, ext))
        }
        None => None,
    };
    Ok(Input {
        origin,
        sections,
        symbols,
        notes,
        btf,
    })
}

/// The relocation a type number stands for at this place. libbpf goes by
/// the instruction, so does this.
fn reloc_kind(r_type: u32, section: &Section, offset: u64) -> Option<RelocKind> {
    let opcode = section.data.get(usize::try_from(offset).ok()?).copied();
    match (section.kind, r_type, opcode) {
        (SectionKind::Code, elf::R_BPF_64_32, Some(0x85)) => Some(RelocKind::Call),
        (SectionKind::Code, elf::R_BPF_64_64, Some(0x18)) => Some(RelocKind::LdImm64),
        (SectionKind::Code, ..) => None,
        (_, 2, _) => Some(RelocKind::Abs64),
        (_, 3, _) => Some(RelocKind::Abs32),
        _ => None,
    }
}

/// The value the place holds before relocation.
fn implicit_addend(
    section: &Section,
    offset: u64,
    kind: RelocKind,
    big_endian: bool,
) -> Option<i64> {
    let at = |start: u64, len: usize| -> Option<&[u8]> {
        let start = usize::try_from(start).ok()?;
        section.data.get(start..start.checked_add(len)?)
    };
    let word32 = |start: u64| -> Option<i32> {
        let bytes: [u8; 4] = at(start, 4)?.try_into().ok()?;
        Some(if big_endian {
            i32::from_be_bytes(bytes)
        } else {
            i32::from_le_bytes(bytes)
        })
    };
    Some(match kind {
        RelocKind::Call => i64::from(word32(offset + 4)?),
        RelocKind::LdImm64 => {
            let low = i64::from(word32(offset + 4)? as u32);
            let high = i64::from(word32(offset + 12)?);
            (high << 32) | low
        }
        RelocKind::Abs32 => i64::from(word32(offset)?),
        RelocKind::Abs64 => {
            let bytes: [u8; 8] = at(offset, 8)?.try_into().ok()?;
            if big_endian {
                i64::from_be_bytes(bytes)
            } else {
                i64::from_le_bytes(bytes)
            }
        }
    })
}

/// BPF-to-BPF calls without relocation: pc-relative within the section.
fn direct_calls(section: &Section, index: usize, relocs: &[Reloc], big_endian: bool) -> Vec<Reloc> {
    let mut calls = Vec::new();
    let mut offset = 0;
    while let Some(insn) = section.data.get(offset..offset + INSN_SIZE as usize) {
        let src = if big_endian {
            insn[1] & 0x0f
        } else {
            insn[1] >> 4
        };
        let at = offset as u64;
        if insn[0] == 0x85 && src == 1 && !relocs.iter().any(|r| r.offset == at) {
            let imm = implicit_addend(section, at, RelocKind::Call, big_endian).unwrap_or(0);
            calls.push(Reloc {
                offset: at,
                kind: RelocKind::Call,
                target: Target::Local {
                    section: index,
                    offset: at.wrapping_add_signed((imm + 1) * INSN_SIZE as i64),
                },
            });
        }
        // `ld_imm64` takes two slots.
        offset += if insn[0] == 0x18 { 16 } else { 8 };
    }
    calls
}
