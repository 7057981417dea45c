//! Writing eBPF ELF relocatable objects (`ET_REL`, `EM_BPF`, `SHT_REL`).
//!
//! [`ElfBuilder`] collects sections, symbols, relocations and per-function
//! notes by name and writes them in one go, so that how a reference is
//! encoded can depend on its target however late that target is defined.
//! The encodings follow what clang emits and libbpf expects:
//!
//! - `call` to a local function goes through the section symbol with
//!   `imm = offset / 8 - 1`; to any other function through its own symbol
//!   with `imm = -1`. libbpf finds the callee at `st_value / 8 + imm + 1`.
//!   With [`CallResolution::Direct`] a call to a local function of the same
//!   section becomes a plain pc-relative `call` without relocation.
//! - `ld_imm64` of a local function (a callback) goes through the section
//!   symbol with `imm = offset`; of data or a global function through the
//!   target's symbol with `imm = addend` (libbpf adds `st_value`).
//! - Pointers in data carry their addend in place (`R_BPF_64_ABS64/32`).
//!
//! The function notes go to [`FUNCS_NOTE_SECTION`], a non-allocated section
//! libbpf skips and the BPF linker reads (see [`FunctionNote`]).

use std::collections::HashMap;

use object::write::{Object, Relocation, Symbol, SymbolId, SymbolSection};
use object::{
    Architecture, BinaryFormat, Endianness, RelocationFlags, SectionFlags, SymbolFlags, SymbolKind,
    SymbolScope, elf,
};

/// Name of the non-allocated section holding the [`FunctionNote`]s.
pub(crate) const FUNCS_NOTE_SECTION: &str = ".rcgb.bpf.funcs";

/// The BTF sections.
pub(crate) const BTF_SECTION: &str = ".BTF";
pub(crate) const BTF_EXT_SECTION: &str = ".BTF.ext";

/// Prefix of every bookkeeping section the final link drops.
pub(crate) const BOOKKEEPING_PREFIX: &str = ".rcgb.";

/// Version tag at the start of [`FUNCS_NOTE_SECTION`].
const FUNCS_NOTE_VERSION: u32 = 1;

/// `R_BPF_64_ABS64` (LLVM's `BPFRelocs.def`; absent from the `object` crate).
const R_BPF_64_ABS64: u32 = 2;
/// `R_BPF_64_ABS32`.
const R_BPF_64_ABS32: u32 = 3;

/// Size of one BPF instruction slot.
pub(crate) const INSN_SIZE: u64 = 8;

/// What a section holds, which decides its ELF type and flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SectionKind {
    /// Instructions: `.text` or a program section (`AX`).
    Code,
    /// Initialised data that is never written (`A`).
    ReadOnlyData,
    /// Initialised writable data (`WA`).
    Data,
    /// Zero-initialised writable data without file contents (`NOBITS`, `WA`).
    ZeroData,
}

impl SectionKind {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            SectionKind::Code => "code",
            SectionKind::ReadOnlyData => "read-only data",
            SectionKind::Data => "writable data",
            SectionKind::ZeroData => "zero-initialised data",
        }
    }
}

/// ELF binding and visibility of a defined symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Binding {
    /// `STB_LOCAL`.
    Local,
    /// `STB_GLOBAL`, default visibility.
    Global,
    /// `STB_GLOBAL` with `STV_HIDDEN`.
    Hidden,
    /// `STB_WEAK`.
    Weak,
}

/// How a relocation patches its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RelocKind {
    /// `call imm` (src=1) to a function: `R_BPF_64_32`.
    Call,
    /// `ld_imm64` of an address: `R_BPF_64_64`.
    LdImm64,
    /// 64-bit address in data: `R_BPF_64_ABS64`.
    Abs64,
    /// 32-bit address in data: `R_BPF_64_ABS32`.
    Abs32,
}

impl RelocKind {
    /// The ELF relocation type number.
    pub(crate) fn r_type(self) -> u32 {
        match self {
            RelocKind::Call => elf::R_BPF_64_32,
            RelocKind::LdImm64 => elf::R_BPF_64_64,
            RelocKind::Abs64 => R_BPF_64_ABS64,
            RelocKind::Abs32 => R_BPF_64_ABS32,
        }
    }
}

/// How calls between local functions of one section are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallResolution {
    /// Keep a relocation for every call (objects that are linked again).
    Relocated,
    /// Patch a pc-relative `imm` and drop the relocation (final link).
    Direct,
}

/// A site in the code the verifier will reject, kept until the link knows
/// whether the function survives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NoteProblem {
    /// Byte offset of the instruction from the function's start.
    pub(crate) offset: u32,
    pub(crate) message: String,
    /// `file:line:col`, or empty when unknown.
    pub(crate) site: String,
}

/// What the object records about one function for the linker.
///
/// Encoding in [`FUNCS_NOTE_SECTION`], all integers little-endian `u32`,
/// strings as a `u32` byte length followed by UTF-8 bytes:
/// `version (=1)`, then per function `name`, `frame_size`,
/// `problem count`, and per problem `offset`, `message`, `site`.
/// `name` is the function's symbol name, unique within the object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FunctionNote {
    pub(crate) name: String,
    /// Bytes of stack below r10 the function uses.
    pub(crate) frame_size: u32,
    pub(crate) problems: Vec<NoteProblem>,
}

/// Serialises `notes` in the format described at [`FunctionNote`].
pub(crate) fn encode_function_notes(notes: &[FunctionNote]) -> Vec<u8> {
    fn put_u32(out: &mut Vec<u8>, value: u32) {
        out.extend_from_slice(&value.to_le_bytes());
    }
    fn put_str(out: &mut Vec<u8>, text: &str) {
        put_u32(out, u32::try_from(text.len()).unwrap_or(u32::MAX));
        out.extend_from_slice(text.as_bytes());
    }
    let mut out = Vec::new();
    put_u32(&mut out, FUNCS_NOTE_VERSION);
    for note in notes {
        put_str(&mut out, &note.name);
        put_u32(&mut out, note.frame_size);
        put_u32(
            &mut out,
            u32::try_from(note.problems.len()).unwrap_or(u32::MAX),
        );
        for problem in &note.problems {
            put_u32(&mut out, problem.offset);
            put_str(&mut out, &problem.message);
            put_str(&mut out, &problem.site);
        }
    }
    out
}

/// Parses a [`FUNCS_NOTE_SECTION`] written by [`encode_function_notes`].
pub(crate) fn decode_function_notes(bytes: &[u8]) -> Result<Vec<FunctionNote>, String> {
    struct Reader<'a>(&'a [u8]);
    impl Reader<'_> {
        fn u32(&mut self) -> Result<u32, String> {
            let (head, rest) = self
                .0
                .split_first_chunk::<4>()
                .ok_or_else(|| "truncated function notes".to_string())?;
            self.0 = rest;
            Ok(u32::from_le_bytes(*head))
        }
        fn string(&mut self) -> Result<String, String> {
            let len = self.u32()? as usize;
            if len > self.0.len() {
                return Err("truncated function notes".into());
            }
            let (text, rest) = self.0.split_at(len);
            self.0 = rest;
            String::from_utf8(text.to_vec()).map_err(|_| "function notes are not UTF-8".into())
        }
    }
    let mut reader = Reader(bytes);
    let version = reader.u32()?;
    if version != FUNCS_NOTE_VERSION {
        return Err(format!("function notes of unknown version {version}"));
    }
    let mut notes = Vec::new();
    while !reader.0.is_empty() {
        let name = reader.string()?;
        let frame_size = reader.u32()?;
        let count = reader.u32()?;
        let mut problems = Vec::new();
        for _ in 0..count {
            let offset = reader.u32()?;
            let message = reader.string()?;
            let site = reader.string()?;
            problems.push(NoteProblem {
                offset,
                message,
                site,
            });
        }
        notes.push(FunctionNote {
            name,
            frame_size,
            problems,
        });
    }
    Ok(notes)
}

struct OutSection {
    name: String,
    kind: SectionKind,
    /// Contents; empty for [`SectionKind::ZeroData`].
    data: Vec<u8>,
    size: u64,
    align: u64,
}

struct OutSymbol {
    name: String,
    binding: Binding,
    section: usize,
    offset: u64,
    size: u64,
}

struct OutReloc {
    section: usize,
    offset: u64,
    kind: RelocKind,
    target: String,
    addend: i64,
}

/// Collects the contents of one BPF ELF object; see the module docs.
pub(crate) struct ElfBuilder {
    big_endian: bool,
    sections: Vec<OutSection>,
    section_by_name: HashMap<String, usize>,
    symbols: Vec<OutSymbol>,
    symbol_by_name: HashMap<String, usize>,
    relocs: Vec<OutReloc>,
    notes: Vec<FunctionNote>,
    /// `.BTF` and `.BTF.ext` contents.
    btf: Option<(Vec<u8>, Option<Vec<u8>>)>,
}

impl ElfBuilder {
    pub(crate) fn new(big_endian: bool) -> ElfBuilder {
        ElfBuilder {
            big_endian,
            sections: Vec::new(),
            section_by_name: HashMap::new(),
            symbols: Vec::new(),
            symbol_by_name: HashMap::new(),
            relocs: Vec::new(),
            notes: Vec::new(),
            btf: None,
        }
    }

    /// The section called `name`, created with `kind` on first use.
    pub(crate) fn section(&mut self, name: &str, kind: SectionKind) -> Result<usize, String> {
        if let Some(&index) = self.section_by_name.get(name) {
            let existing = self.sections[index].kind;
            if existing != kind {
                return Err(format!(
                    "section `{name}` would hold both {} and {}",
                    existing.describe(),
                    kind.describe()
                ));
            }
            return Ok(index);
        }
        check_section_name(name)?;
        let index = self.sections.len();
        self.sections.push(OutSection {
            name: name.to_string(),
            kind,
            data: Vec::new(),
            size: 0,
            align: 1,
        });
        self.section_by_name.insert(name.to_string(), index);
        Ok(index)
    }

    /// Appends `bytes` (or, for a zero-data section, `len` zero bytes given
    /// as `bytes = None`) aligned to `align`; returns their section offset.
    pub(crate) fn append(
        &mut self,
        section: usize,
        bytes: Option<&[u8]>,
        len: u64,
        align: u64,
    ) -> Result<u64, String> {
        let sec = &mut self.sections[section];
        let align = align.max(1);
        if !align.is_power_of_two() {
            return Err(format!(
                "alignment {align} in section `{}` is not a power of two",
                sec.name
            ));
        }
        let offset = sec.size.next_multiple_of(align);
        sec.align = sec.align.max(align);
        if sec.kind == SectionKind::ZeroData {
            if bytes.is_some_and(|b| b.iter().any(|&x| x != 0)) {
                return Err(format!(
                    "non-zero bytes in zero-data section `{}`",
                    sec.name
                ));
            }
        } else {
            let padded = usize::try_from(offset).map_err(|_| "section too large".to_string())?;
            sec.data.resize(padded, 0);
            match bytes {
                Some(bytes) => sec.data.extend_from_slice(bytes),
                None => sec
                    .data
                    .resize(padded + usize::try_from(len).map_err(|e| e.to_string())?, 0),
            }
        }
        sec.size = offset + bytes.map_or(len, |b| b.len() as u64);
        Ok(offset)
    }

    /// Defines `name` at `offset` of `section`, `size` bytes long.
    pub(crate) fn define_symbol(
        &mut self,
        name: &str,
        binding: Binding,
        section: usize,
        offset: u64,
        size: u64,
    ) -> Result<(), String> {
        if self.symbol_by_name.contains_key(name) {
            return Err(format!("symbol `{name}` is defined twice"));
        }
        self.symbol_by_name
            .insert(name.to_string(), self.symbols.len());
        self.symbols.push(OutSymbol {
            name: name.to_string(),
            binding,
            section,
            offset,
            size,
        });
        Ok(())
    }

    /// Records a reference from `offset` of `section` to the symbol `target`
    /// (defined here or left undefined).
    pub(crate) fn add_reloc(
        &mut self,
        section: usize,
        offset: u64,
        kind: RelocKind,
        target: &str,
        addend: i64,
    ) {
        self.relocs.push(OutReloc {
            section,
            offset,
            kind,
            target: target.to_string(),
            addend,
        });
    }

    /// The size of the section called `name` so far (0 if absent).
    pub(crate) fn section_size(&self, name: &str) -> u64 {
        self.section_by_name
            .get(name)
            .map_or(0, |&index| self.sections[index].size)
    }

    /// Sets the `.BTF` (and `.BTF.ext`, when there is one) contents.
    pub(crate) fn set_btf(&mut self, btf: Vec<u8>, ext: Option<Vec<u8>>) {
        self.btf = Some((btf, ext));
    }

    /// Records the linker's facts about a function.
    pub(crate) fn add_note(&mut self, note: FunctionNote) {
        self.notes.push(note);
    }

    /// Writes the ELF object.
    pub(crate) fn finish(mut self, calls: CallResolution) -> Result<Vec<u8>, String> {
        let endian = if self.big_endian {
            Endianness::Big
        } else {
            Endianness::Little
        };
        let mut obj = Object::new(BinaryFormat::Elf, Architecture::Bpf, endian);
        let mut ids = Vec::with_capacity(self.sections.len());
        for sec in &self.sections {
            let (kind, flags) = match sec.kind {
                SectionKind::Code => (
                    object::SectionKind::Text,
                    elf::SHF_ALLOC | elf::SHF_EXECINSTR,
                ),
                SectionKind::ReadOnlyData => (object::SectionKind::ReadOnlyData, elf::SHF_ALLOC),
                SectionKind::Data => (object::SectionKind::Data, elf::SHF_ALLOC | elf::SHF_WRITE),
                SectionKind::ZeroData => (
                    object::SectionKind::UninitializedData,
                    elf::SHF_ALLOC | elf::SHF_WRITE,
                ),
            };
            let id = obj.add_section(Vec::new(), sec.name.as_bytes().to_vec(), kind);
            obj.section_mut(id).flags = SectionFlags::Elf {
                sh_flags: u64::from(flags),
            };
            ids.push(id);
        }

        let mut symbol_ids = Vec::with_capacity(self.symbols.len());
        for sym in &self.symbols {
            let is_code = self.sections[sym.section].kind == SectionKind::Code;
            let (scope, weak) = match sym.binding {
                Binding::Local => (SymbolScope::Compilation, false),
                Binding::Global => (SymbolScope::Dynamic, false),
                Binding::Hidden => (SymbolScope::Linkage, false),
                Binding::Weak => (SymbolScope::Dynamic, true),
            };
            symbol_ids.push(obj.add_symbol(Symbol {
                name: sym.name.as_bytes().to_vec(),
                value: sym.offset,
                size: sym.size,
                kind: if is_code {
                    SymbolKind::Text
                } else {
                    SymbolKind::Data
                },
                scope,
                weak,
                section: SymbolSection::Section(ids[sym.section]),
                flags: SymbolFlags::None,
            }));
        }

        let mut undefined: HashMap<String, SymbolId> = HashMap::new();
        for reloc in std::mem::take(&mut self.relocs) {
            let target = self.symbol_by_name.get(&reloc.target).copied();
            let placement = self.encode(&reloc, target, calls)?;
            let value = match placement {
                Placement::Direct(value)
                | Placement::SectionSymbol(value)
                | Placement::OwnSymbol(value) => value,
            };
            patch(
                &mut self.sections[reloc.section],
                reloc.offset,
                reloc.kind,
                value,
                self.big_endian,
            )?;
            let symbol = match (placement, target) {
                (Placement::Direct(_), _) => continue,
                (Placement::SectionSymbol(_), Some(index)) => {
                    obj.section_symbol(ids[self.symbols[index].section])
                }
                (_, Some(index)) => symbol_ids[index],
                (_, None) => *undefined.entry(reloc.target.clone()).or_insert_with(|| {
                    obj.add_symbol(Symbol {
                        name: reloc.target.as_bytes().to_vec(),
                        value: 0,
                        size: 0,
                        kind: SymbolKind::Unknown,
                        scope: SymbolScope::Dynamic,
                        weak: false,
                        section: SymbolSection::Undefined,
                        flags: SymbolFlags::None,
                    })
                }),
            };
            obj.add_relocation(
                ids[reloc.section],
                Relocation {
                    offset: reloc.offset,
                    symbol,
                    addend: 0,
                    flags: RelocationFlags::Elf {
                        r_type: reloc.kind.r_type(),
                    },
                },
            )
            .map_err(|e| format!("relocation in `{}`: {e}", self.sections[reloc.section].name))?;
        }

        for (sec, &id) in self.sections.iter_mut().zip(&ids) {
            if sec.kind == SectionKind::ZeroData {
                obj.append_section_bss(id, sec.size, sec.align);
            } else {
                obj.set_section_data(id, std::mem::take(&mut sec.data), sec.align);
            }
        }
        if let Some((btf, ext)) = self.btf.take() {
            for (name, bytes) in [(BTF_SECTION, Some(btf)), (BTF_EXT_SECTION, ext)] {
                if let Some(bytes) = bytes {
                    let id = obj.add_section(
                        Vec::new(),
                        name.as_bytes().to_vec(),
                        object::SectionKind::Elf(elf::SHT_PROGBITS),
                    );
                    obj.set_section_data(id, bytes, 4);
                }
            }
        }
        if !self.notes.is_empty() {
            let id = obj.add_section(
                Vec::new(),
                FUNCS_NOTE_SECTION.as_bytes().to_vec(),
                object::SectionKind::Elf(elf::SHT_PROGBITS),
            );
            obj.set_section_data(id, encode_function_notes(&self.notes), 1);
        }
        obj.write()
            .map_err(|e| format!("cannot write the ELF object: {e}"))
    }

    /// Decides how `reloc` is written and the value its place holds.
    fn encode(
        &self,
        reloc: &OutReloc,
        target: Option<usize>,
        calls: CallResolution,
    ) -> Result<Placement, String> {
        let here = &self.sections[reloc.section];
        let target_sym = target.map(|index| &self.symbols[index]);
        let local_code = target_sym
            .filter(|sym| {
                sym.binding == Binding::Local
                    && self.sections[sym.section].kind == SectionKind::Code
            })
            .map(|sym| sym.offset as i64 + reloc.addend);
        let insn = INSN_SIZE as i64;
        match reloc.kind {
            RelocKind::Call => {
                if here.kind != SectionKind::Code {
                    return Err(format!(
                        "call relocation to `{}` outside code, in `{}`",
                        reloc.target, here.name
                    ));
                }
                if let Some(sym) = target_sym
                    && self.sections[sym.section].kind != SectionKind::Code
                {
                    return Err(format!(
                        "call to `{}`, which is data in `{}`",
                        reloc.target, self.sections[sym.section].name
                    ));
                }
                let same_section = target_sym.is_some_and(|sym| sym.section == reloc.section);
                Ok(match local_code {
                    Some(dest) if calls == CallResolution::Direct && same_section => {
                        Placement::Direct((dest - reloc.offset as i64 - insn) / insn)
                    }
                    Some(dest) => Placement::SectionSymbol(dest / insn - 1),
                    None => Placement::OwnSymbol(reloc.addend / insn - 1),
                })
            }
            RelocKind::LdImm64 => Ok(match local_code {
                Some(dest) => Placement::SectionSymbol(dest),
                None => Placement::OwnSymbol(reloc.addend),
            }),
            RelocKind::Abs64 | RelocKind::Abs32 => {
                if here.kind == SectionKind::ZeroData {
                    return Err(format!(
                        "address of `{}` in zero-data section `{}`",
                        reloc.target, here.name
                    ));
                }
                Ok(Placement::OwnSymbol(reloc.addend))
            }
        }
    }
}

/// How a reference ends up in the object, with the value its place holds.
#[derive(Clone, Copy)]
enum Placement {
    /// Resolved in place; no relocation.
    Direct(i64),
    /// Relocated against the target's section symbol.
    SectionSymbol(i64),
    /// Relocated against the target's own (possibly undefined) symbol.
    OwnSymbol(i64),
}

/// Writes `value` into the place a relocation of `kind` at `offset` patches:
/// the `imm` of a `call`, both `imm` halves of an `ld_imm64`, or a data word.
fn patch(
    sec: &mut OutSection,
    offset: u64,
    kind: RelocKind,
    value: i64,
    big_endian: bool,
) -> Result<(), String> {
    let span = match kind {
        RelocKind::Call | RelocKind::Abs64 => 8,
        RelocKind::LdImm64 => 16,
        RelocKind::Abs32 => 4,
    };
    let start = usize::try_from(offset).map_err(|e| e.to_string())?;
    let Some(place) = sec.data.get_mut(start..start + span) else {
        return Err(format!(
            "relocation at offset {offset} lies outside section `{}`",
            sec.name
        ));
    };
    let word32 = |v: i32| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    match kind {
        RelocKind::Call => {
            let imm = i32::try_from(value)
                .map_err(|_| format!("call displacement {value} out of range in `{}`", sec.name))?;
            place[4..8].copy_from_slice(&word32(imm));
        }
        RelocKind::LdImm64 => {
            place[4..8].copy_from_slice(&word32(value as i32));
            place[12..16].copy_from_slice(&word32((value >> 32) as i32));
        }
        RelocKind::Abs64 => place.copy_from_slice(&if big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        }),
        RelocKind::Abs32 => place.copy_from_slice(&word32(value as i32)),
    }
    Ok(())
}

/// Whether `name` may name a section holding code or data.
pub(crate) fn check_section_name(name: &str) -> Result<(), String> {
    let reserved = [
        ".rel",
        ".symtab",
        ".strtab",
        ".shstrtab",
        BTF_SECTION,
        BOOKKEEPING_PREFIX,
    ];
    if name.is_empty() || reserved.iter().any(|prefix| name.starts_with(prefix)) {
        return Err(format!("`{name}` cannot be used as a section name"));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests;
