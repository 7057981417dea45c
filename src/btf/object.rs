//! The BTF of one ELF object, assembled once its layout is known: a FUNC
//! and func_info per function, line_info from each function's first
//! instruction, a VAR per described global with one DATASEC per data
//! section, and the kernel functions called as kfuncs: extern FUNCs listed
//! in a `.ksyms` DATASEC, as clang emits them and libbpf's
//! `bpf_object__collect_externs` reads them. Used by the per-unit object
//! writer and by the linker.

use std::collections::BTreeMap;

use super::SourceLine;
use super::names;
use super::types::{
    Btf, BtfExt, CoreAccess, CoreRelo, FuncInfo, IntEncoding, Kind, LineInfo, Linkage, SecVar,
    Type, TypeId,
};

/// The DATASEC of kernel symbols resolved by the loader.
pub(crate) const KSYMS_SECTION: &str = ".ksyms";

/// BTF being assembled for an object.
pub(crate) struct ObjectBtf {
    btf: Btf,
    ext: BtfExt,
    /// Output section name -> its variables.
    vars: BTreeMap<String, Vec<SecVar>>,
    /// Extern FUNCs of kfuncs, by name.
    ksyms: BTreeMap<String, TypeId>,
}

impl ObjectBtf {
    /// Starts from the types in `btf`.
    pub(crate) fn new(btf: Btf) -> ObjectBtf {
        ObjectBtf {
            btf,
            ext: BtfExt::default(),
            vars: BTreeMap::new(),
            ksyms: BTreeMap::new(),
        }
    }

    pub(crate) fn btf_mut(&mut self) -> &mut Btf {
        &mut self.btf
    }

    /// Describes the function at byte `offset` of `section` with a new FUNC
    /// `name` of prototype `proto`: static in `.text`, global in a program
    /// section.
    pub(crate) fn function(
        &mut self,
        section: &str,
        offset: u64,
        name: &str,
        proto: TypeId,
    ) -> Result<(), String> {
        let linkage = if section == ".text" {
            Linkage::Static
        } else {
            Linkage::Global
        };
        let name = if names::is_valid(name) {
            name.to_string()
        } else {
            names::sanitize(name)
        };
        let func = self.btf.named(&name, Kind::Func { proto, linkage })?;
        self.func_info(section, offset, func)
    }

    /// Describes the function at byte `offset` of `section` with the FUNC
    /// `func`.
    pub(crate) fn func_info(
        &mut self,
        section: &str,
        offset: u64,
        func: TypeId,
    ) -> Result<(), String> {
        self.ext.funcs.push(FuncInfo {
            section: section.to_string(),
            insn_off: code_offset(offset)?,
            func,
        });
        Ok(())
    }

    /// The line_info of a function starting at byte `start` of `section`:
    /// `lines` hold offsets from `start`. A line at the function's first
    /// instruction is added (without source) when `lines` lack one, as the
    /// kernel requires.
    pub(crate) fn function_lines(
        &mut self,
        section: &str,
        start: u64,
        lines: &[(u32, SourceLine)],
    ) -> Result<(), String> {
        if lines.first().is_none_or(|(offset, _)| *offset != 0) {
            self.ext.lines.push(LineInfo {
                section: section.to_string(),
                insn_off: code_offset(start)?,
                file: String::new(),
                text: String::new(),
                line: 0,
                col: 0,
            });
        }
        let mut last = None;
        for (offset, line) in lines {
            // Strictly increasing offsets: the first line of an offset wins.
            if last == Some(*offset) {
                continue;
            }
            last = Some(*offset);
            self.ext.lines.push(LineInfo {
                section: section.to_string(),
                insn_off: code_offset(start + u64::from(*offset))?,
                file: line.file.clone(),
                text: line.text.clone(),
                line: line.line,
                col: line.col,
            });
        }
        Ok(())
    }

    /// A CO-RE relocation of the instruction at byte `offset` of `section`.
    pub(crate) fn core_relo(
        &mut self,
        section: &str,
        offset: u64,
        access: CoreAccess,
    ) -> Result<(), String> {
        self.ext.core_relos.push(CoreRelo {
            section: section.to_string(),
            insn_off: code_offset(offset)?,
            access,
        });
        Ok(())
    }

    /// Describes the global `name` of type `ty` at `offset` of `section`,
    /// `size` bytes. A name the kernel would refuse is skipped: a VAR must
    /// carry its ELF symbol's name.
    pub(crate) fn variable(
        &mut self,
        section: &str,
        name: &str,
        ty: TypeId,
        global: bool,
        offset: u64,
        size: u64,
    ) -> Result<(), String> {
        if !names::is_valid(name) {
            return Ok(());
        }
        let linkage = if global {
            Linkage::Global
        } else {
            Linkage::Static
        };
        let var = self.btf.push(Type {
            name: name.to_string(),
            kind: Kind::Var { ty, linkage },
        })?;
        let too_far = || format!("`{name}` lies beyond 4 GiB of `{section}`");
        self.vars
            .entry(section.to_string())
            .or_default()
            .push(SecVar {
                var,
                offset: u32::try_from(offset).map_err(|_| too_far())?,
                size: u32::try_from(size).map_err(|_| too_far())?,
            });
        Ok(())
    }

    /// Describes the kernel function `name`, called as a kfunc, with an
    /// extern FUNC of prototype `proto` listed in [`KSYMS_SECTION`]. The
    /// object refers to it by an undefined symbol of the same name.
    pub(crate) fn extern_function(&mut self, name: &str, proto: TypeId) -> Result<(), String> {
        if !names::is_valid(name) {
            return Err(format!("`{name}` cannot name a kernel function"));
        }
        if self.ksyms.contains_key(name) {
            return Ok(());
        }
        let func = self.btf.push(Type {
            name: name.to_string(),
            kind: Kind::Func {
                proto,
                linkage: Linkage::Extern,
            },
        })?;
        self.ksyms.insert(name.to_string(), func);
        Ok(())
    }

    /// Adds the DATASECs (sized by `section_size`) and encodes `.BTF` and
    /// `.BTF.ext`.
    pub(crate) fn finish(
        mut self,
        section_size: impl Fn(&str) -> u64,
        big_endian: bool,
    ) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
        for (section, mut vars) in std::mem::take(&mut self.vars) {
            vars.sort_by_key(|v| v.offset);
            let size = u32::try_from(section_size(&section))
                .map_err(|_| format!("section `{section}` exceeds 4 GiB"))?;
            // The kernel refuses empty DATASECs; zero-sized globals need none.
            if size == 0 {
                continue;
            }
            self.btf.push(Type {
                name: section,
                kind: Kind::Datasec { size, vars },
            })?;
        }
        if !self.ksyms.is_empty() {
            // libbpf turns each extern FUNC into a variable of a 32-bit
            // integer type it looks for in the object's BTF.
            self.btf.named(
                "u32",
                Kind::Int {
                    size: 4,
                    encoding: IntEncoding::Unsigned,
                    bits: 32,
                },
            )?;
            // Size and offsets are zero, as clang writes them; libbpf lays
            // the section out when it resolves the externs.
            let vars = self
                .ksyms
                .values()
                .map(|&var| SecVar {
                    var,
                    offset: 0,
                    size: 0,
                })
                .collect();
            self.btf.push(Type {
                name: KSYMS_SECTION.to_string(),
                kind: Kind::Datasec { size: 0, vars },
            })?;
        }
        super::write::write(&self.btf, &self.ext, big_endian)
    }
}

fn code_offset(offset: u64) -> Result<u32, String> {
    u32::try_from(offset).map_err(|_| "code beyond 4 GiB in one section".to_string())
}
