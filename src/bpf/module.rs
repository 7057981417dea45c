//! [`BpfModule`]: the `cranelift_module::Module` the lowering writes into when
//! the target is eBPF. It keeps the declarations, collects compiled
//! functions and data objects, and writes one ELF relocatable object.
#![expect(
    clippy::result_large_err,
    reason = "`ModuleResult` is the error type `cranelift_module::Module` prescribes"
)]

use std::collections::HashMap;
use std::sync::Arc;

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir;
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::{CodegenError, Context};
use cranelift_module::{
    DataDescription, DataId, FuncId, Init, Linkage, Module, ModuleDeclarations, ModuleError,
    ModuleReloc, ModuleRelocTarget, ModuleResult,
};

use super::object::{
    Binding, CallResolution, ElfBuilder, FunctionNote, INSN_SIZE, NoteProblem, RelocKind,
    SectionKind, check_section_name,
};
use super::{BpfTarget, CodeRelocKind, CompiledFunction};
use crate::btf::FunctionDebug;
use crate::btf::object::ObjectBtf;
use crate::btf::types::{Btf, TypeId};

/// A function body ready for the object.
struct DefinedFunction {
    func: FuncId,
    section: String,
    compiled: CompiledFunction,
    problem_sites: Vec<String>,
}

/// A data object ready for the object.
struct DefinedData {
    data: DataId,
    section: String,
    kind: SectionKind,
    /// `None` for zero-initialised contents of `size` bytes.
    bytes: Option<Vec<u8>>,
    size: u64,
    align: u64,
    /// Pointer-sized references: offset, target symbol, addend.
    relocs: Vec<(u32, String, i64)>,
}

/// A Cranelift module producing one eBPF ELF object.
pub(crate) struct BpfModule {
    target: BpfTarget,
    /// Used only for `target_config()`; see [`frontend_isa`].
    isa: Arc<dyn TargetIsa>,
    declarations: ModuleDeclarations,
    /// Symbol names by function and data index, in declaration order.
    func_names: Vec<String>,
    data_names: Vec<String>,
    functions: Vec<DefinedFunction>,
    data: Vec<DefinedData>,
    /// What each section used so far holds; one section cannot mix kinds.
    section_kinds: HashMap<String, SectionKind>,
    libcall_names: Box<dyn Fn(ir::LibCall) -> String + Send + Sync>,
    /// Types the unit's functions and globals refer to.
    btf: Btf,
    /// BTF of defined functions; others get a prototype from their
    /// signature.
    func_debug: HashMap<FuncId, FunctionDebug>,
    /// BTF type of data objects by symbol name.
    data_types: HashMap<String, TypeId>,
    /// FUNC_PROTOs of the kernel functions the unit may call as kfuncs,
    /// by kernel name.
    kfuncs: HashMap<String, TypeId>,
}

/// The ISA the module reports to the lowering.
///
/// The lowering asks the module only for its frontend configuration (pointer
/// width, default calling convention) and never compiles through this ISA:
/// BPF code is produced by [`super::compile_function`]. x86_64 is always built
/// into this backend, is 64-bit like BPF and uses the System V convention the
/// BPF lowering expects in signatures; it is the optimiser's ISA
/// ([`super::mid_end`]), with the host's as fallback.
fn frontend_isa() -> Arc<dyn TargetIsa> {
    super::mid_end::optimizing_isa()
        .cloned()
        .expect("the host ISA is always compiled into Cranelift (feature `host-arch`)")
}

impl BpfModule {
    pub(crate) fn new(target: BpfTarget, name: &str) -> BpfModule {
        // Each module becomes its own object file; the name only matters to
        // the caller, which chooses the path.
        let _ = name;
        BpfModule {
            target,
            isa: frontend_isa(),
            declarations: ModuleDeclarations::default(),
            func_names: Vec::new(),
            data_names: Vec::new(),
            functions: Vec::new(),
            data: Vec::new(),
            section_kinds: HashMap::new(),
            libcall_names: cranelift_module::default_libcall_names(),
            btf: Btf::new(),
            func_debug: HashMap::new(),
            data_types: HashMap::new(),
            kfuncs: HashMap::new(),
        }
    }

    /// The type table the unit's BTF is built in.
    pub(crate) fn btf_mut(&mut self) -> &mut Btf {
        &mut self.btf
    }

    /// Describes `func` (FUNC name, prototype and source lines).
    pub(crate) fn set_function_debug(&mut self, func: FuncId, debug: FunctionDebug) {
        self.func_debug.insert(func, debug);
    }

    /// Gives the data object `symbol` the BTF type `ty`.
    pub(crate) fn set_data_type(&mut self, symbol: &str, ty: TypeId) {
        self.data_types.insert(symbol.to_string(), ty);
    }

    /// Declares the kernel function `name` (a kfunc) with the FUNC_PROTO
    /// `proto`; calls of it are described in `.ksyms`.
    pub(crate) fn declare_kfunc(&mut self, name: &str, proto: TypeId) {
        self.kfuncs.insert(name.to_string(), proto);
    }

    /// A function compiled by [`super::compile_function`], placed in `section`
    /// (`None` = `.text`; a program section such as `xdp` from
    /// `#[link_section]`). `problem_sites[i]` is the `file:line:col` of
    /// `compiled.problems[i]`.
    pub(crate) fn define_compiled(
        &mut self,
        func: FuncId,
        section: Option<&str>,
        compiled: CompiledFunction,
        problem_sites: Vec<String>,
    ) -> ModuleResult<()> {
        let name = self.func_name(func)?;
        let decl = self.declarations.get_function_decl(func);
        if !decl.linkage.is_definable() {
            return Err(ModuleError::InvalidImportDefinition(name));
        }
        if self.functions.iter().any(|f| f.func == func) {
            return Err(ModuleError::DuplicateDefinition(name));
        }
        if !compiled.code.len().is_multiple_of(INSN_SIZE as usize) {
            return Err(unsupported(format!(
                "the code of `{name}` is not a whole number of instructions"
            )));
        }
        let section = section.unwrap_or(".text");
        self.claim_section(section, SectionKind::Code, &name)?;
        self.functions.push(DefinedFunction {
            func,
            section: section.to_string(),
            compiled,
            problem_sites,
        });
        Ok(())
    }

    /// Whether a function defined so far has a relocation against `symbol`.
    pub(crate) fn references(&self, symbol: &str) -> bool {
        self.functions
            .iter()
            .any(|f| f.compiled.relocs.iter().any(|r| r.symbol == symbol))
    }

    /// Resolves a function's external names (`ExternalName::User` via the
    /// function's `params.user_named_funcs()`, `LibCall` via a fixed name
    /// table) to symbol names.
    pub(crate) fn symbol_name_resolver<'a>(
        &'a self,
        func: &'a ir::Function,
    ) -> impl Fn(&ir::ExternalName) -> String + 'a {
        move |name| match name {
            ir::ExternalName::User(reference) => {
                match func.params.user_named_funcs().get(*reference) {
                    Some(user) => self.user_name(user.namespace, user.index),
                    None => format!("<undeclared {reference}>"),
                }
            }
            ir::ExternalName::LibCall(libcall) => (self.libcall_names)(*libcall),
            other => other.display(None).to_string(),
        }
    }

    /// Writes the ELF object holding everything defined so far.
    pub(crate) fn finish(self) -> Vec<u8> {
        // Errors here are internal (everything was validated on definition);
        // they still must not crash rustc, so they become an object that
        // carries no code and a problem the linker reports.
        match self.write() {
            Ok(bytes) => bytes,
            Err(message) => {
                let mut elf = ElfBuilder::new(self.target.big_endian);
                elf.add_note(FunctionNote {
                    name: String::new(),
                    frame_size: 0,
                    problems: vec![NoteProblem {
                        offset: 0,
                        message,
                        site: String::new(),
                    }],
                });
                elf.finish(CallResolution::Relocated).unwrap_or_default()
            }
        }
    }

    fn write(&self) -> Result<Vec<u8>, String> {
        let mut elf = ElfBuilder::new(self.target.big_endian);
        let mut btf = ObjectBtf::new(self.btf.clone());
        for func in &self.functions {
            let name = &self.func_names[func.func.as_u32() as usize];
            let linkage = self.declarations.get_function_decl(func.func).linkage;
            let section = elf.section(&func.section, SectionKind::Code)?;
            let code = &func.compiled.code;
            let start = elf.append(section, Some(code), code.len() as u64, INSN_SIZE)?;
            elf.define_symbol(name, binding(linkage), section, start, code.len() as u64)?;
            self.describe_function(&mut btf, func, name, start)?;
            for reloc in &func.compiled.relocs {
                let kind = match reloc.kind {
                    CodeRelocKind::Call => RelocKind::Call,
                    CodeRelocKind::LdImm64 => RelocKind::LdImm64,
                };
                elf.add_reloc(
                    section,
                    start + u64::from(reloc.offset),
                    kind,
                    &reloc.symbol,
                    reloc.addend,
                );
            }
            let problems = func
                .compiled
                .problems
                .iter()
                .enumerate()
                .map(|(i, problem)| NoteProblem {
                    offset: problem.offset,
                    message: problem.message.clone(),
                    site: func.problem_sites.get(i).cloned().unwrap_or_default(),
                })
                .collect();
            elf.add_note(FunctionNote {
                name: name.clone(),
                frame_size: func.compiled.frame_size,
                problems,
            });
        }
        for data in &self.data {
            let name = &self.data_names[data.data.as_u32() as usize];
            let linkage = self.declarations.get_data_decl(data.data).linkage;
            let section = elf.section(&data.section, data.kind)?;
            let start = elf.append(section, data.bytes.as_deref(), data.size, data.align)?;
            elf.define_symbol(name, binding(linkage), section, start, data.size)?;
            if let Some(&ty) = self.data_types.get(name) {
                let global = !matches!(linkage, Linkage::Local);
                btf.variable(&data.section, name, ty, global, start, data.size)?;
            }
            for (offset, target, addend) in &data.relocs {
                elf.add_reloc(
                    section,
                    start + u64::from(*offset),
                    RelocKind::Abs64,
                    target,
                    *addend,
                );
            }
        }
        let mut kfuncs: Vec<(&str, TypeId)> = self
            .functions
            .iter()
            .flat_map(|f| &f.compiled.relocs)
            .filter(|r| matches!(r.kind, CodeRelocKind::Call))
            .filter_map(|r| Some((r.symbol.as_str(), *self.kfuncs.get(&r.symbol)?)))
            .collect();
        kfuncs.sort();
        kfuncs.dedup();
        for (name, proto) in kfuncs {
            btf.extern_function(name, proto)?;
        }
        let (btf, ext) = btf.finish(|name| elf.section_size(name), self.target.big_endian)?;
        elf.set_btf(btf, ext);
        elf.finish(CallResolution::Relocated)
    }

    /// The FUNC, func_info and line_info of a function placed at `start`.
    /// Functions defined without [`BpfModule::set_function_debug`] get a
    /// prototype from their Cranelift signature.
    fn describe_function(
        &self,
        btf: &mut ObjectBtf,
        func: &DefinedFunction,
        symbol: &str,
        start: u64,
    ) -> Result<(), String> {
        let (name, proto, lines, core_relos) = match self.func_debug.get(&func.func) {
            Some(debug) => (
                debug.name.clone(),
                debug.proto,
                &debug.lines[..],
                &debug.core_relos[..],
            ),
            None => {
                let sig = &self.declarations.get_function_decl(func.func).signature;
                let params: Vec<u32> = sig.params.iter().map(|p| p.value_type.bytes()).collect();
                let ret = sig.returns.first().map(|r| r.value_type.bytes());
                let proto = crate::btf::proto_of_sizes(btf.btf_mut(), &params, ret)?;
                (symbol.to_string(), proto, &[][..], &[][..])
            }
        };
        btf.function(&func.section, start, &name, proto)?;
        for (offset, access) in core_relos {
            btf.core_relo(&func.section, start + u64::from(*offset), access.clone())?;
        }
        btf.function_lines(&func.section, start, lines)
    }

    /// Records that `section` holds `kind`, which must match its other uses.
    fn claim_section(
        &mut self,
        section: &str,
        kind: SectionKind,
        symbol: &str,
    ) -> ModuleResult<()> {
        check_section_name(section).map_err(|e| unsupported(format!("`{symbol}`: {e}")))?;
        let existing = *self
            .section_kinds
            .entry(section.to_string())
            .or_insert(kind);
        if existing != kind {
            return Err(unsupported(format!(
                "`{symbol}` cannot be placed in section `{section}`, which holds {}",
                existing.describe()
            )));
        }
        Ok(())
    }

    fn func_name(&self, func: FuncId) -> ModuleResult<String> {
        self.func_names
            .get(func.as_u32() as usize)
            .cloned()
            .ok_or_else(|| ModuleError::Undeclared(format!("function {func}")))
    }

    fn data_name(&self, data: DataId) -> ModuleResult<String> {
        self.data_names
            .get(data.as_u32() as usize)
            .cloned()
            .ok_or_else(|| ModuleError::Undeclared(format!("data object {data}")))
    }

    /// The symbol of a user name: namespace 0 are functions, 1 data objects.
    fn user_name(&self, namespace: u32, index: u32) -> String {
        let names = match namespace {
            0 => &self.func_names,
            1 => &self.data_names,
            _ => return format!("<unknown u{namespace}:{index}>"),
        };
        names
            .get(index as usize)
            .cloned()
            .unwrap_or_else(|| format!("<undeclared u{namespace}:{index}>"))
    }

    fn reloc_target_name(&self, target: &ModuleRelocTarget) -> String {
        match target {
            ModuleRelocTarget::User { namespace, index } => self.user_name(*namespace, *index),
            ModuleRelocTarget::LibCall(libcall) => (self.libcall_names)(*libcall),
            other => other.to_string(),
        }
    }

    fn note_func(&mut self, id: FuncId) {
        let index = id.as_u32() as usize;
        if index == self.func_names.len() {
            let name = self.declarations.get_function_decl(id).linkage_name(id);
            self.func_names.push(name.into_owned());
        }
    }

    fn note_data(&mut self, id: DataId) {
        let index = id.as_u32() as usize;
        if index == self.data_names.len() {
            let name = self.declarations.get_data_decl(id).linkage_name(id);
            self.data_names.push(name.into_owned());
        }
    }
}

/// ELF binding of a Cranelift linkage.
fn binding(linkage: Linkage) -> Binding {
    match linkage {
        Linkage::Local => Binding::Local,
        Linkage::Export | Linkage::Import => Binding::Global,
        Linkage::Hidden => Binding::Hidden,
        Linkage::Preemptible => Binding::Weak,
    }
}

fn unsupported(message: String) -> ModuleError {
    ModuleError::Compilation(CodegenError::Unsupported(message))
}

impl Module for BpfModule {
    fn isa(&self) -> &dyn TargetIsa {
        &*self.isa
    }

    fn declarations(&self) -> &ModuleDeclarations {
        &self.declarations
    }

    fn declare_function(
        &mut self,
        name: &str,
        linkage: Linkage,
        signature: &ir::Signature,
    ) -> ModuleResult<FuncId> {
        let (id, _) = self
            .declarations
            .declare_function(name, linkage, signature)?;
        self.note_func(id);
        Ok(id)
    }

    fn declare_anonymous_function(&mut self, signature: &ir::Signature) -> ModuleResult<FuncId> {
        let id = self.declarations.declare_anonymous_function(signature)?;
        self.note_func(id);
        Ok(id)
    }

    fn declare_data(
        &mut self,
        name: &str,
        linkage: Linkage,
        writable: bool,
        tls: bool,
    ) -> ModuleResult<DataId> {
        if let Some(cranelift_module::FuncOrDataId::Data(id)) = self.declarations.get_name(name)
            && self.declarations.get_data_decl(id).tls != tls
        {
            return Err(ModuleError::IncompatibleDeclaration(name.to_string()));
        }
        let (id, _) = self
            .declarations
            .declare_data(name, linkage, writable, tls)?;
        self.note_data(id);
        Ok(id)
    }

    fn declare_anonymous_data(&mut self, writable: bool, tls: bool) -> ModuleResult<DataId> {
        let id = self.declarations.declare_anonymous_data(writable, tls)?;
        self.note_data(id);
        Ok(id)
    }

    fn define_function_with_control_plane(
        &mut self,
        func: FuncId,
        ctx: &mut Context,
        _ctrl_plane: &mut ControlPlane,
    ) -> ModuleResult<()> {
        // Callers of the generic interface give no opt level; they get the
        // optimised code a release build produces.
        let compiled = {
            let resolve = self.symbol_name_resolver(&ctx.func);
            super::compile_function(&ctx.func, &self.target, true, &resolve, &[])
        }
        .map_err(|err| unsupported(format!("{} ({})", err.message, err.srcloc)))?;
        let sites = vec![String::new(); compiled.problems.len()];
        self.define_compiled(func, None, compiled, sites)
    }

    fn define_function_bytes(
        &mut self,
        func: FuncId,
        _alignment: u64,
        _bytes: &[u8],
        _relocs: &[ModuleReloc],
    ) -> ModuleResult<()> {
        let name = self.func_name(func)?;
        Err(unsupported(format!(
            "`{name}`: machine code given as bytes cannot be placed in a BPF object"
        )))
    }

    fn define_data(&mut self, data: DataId, desc: &DataDescription) -> ModuleResult<()> {
        let name = self.data_name(data)?;
        let decl = self.declarations.get_data_decl(data);
        if !decl.linkage.is_definable() {
            return Err(ModuleError::InvalidImportDefinition(name));
        }
        if decl.tls {
            return Err(unsupported(format!(
                "thread-local `{name}`: eBPF has no thread-local storage"
            )));
        }
        if self.data.iter().any(|d| d.data == data) {
            return Err(ModuleError::DuplicateDefinition(name));
        }
        let (bytes, size) = match &desc.init {
            Init::Uninitialized => {
                return Err(unsupported(format!("data object `{name}` has no contents")));
            }
            Init::Zeros { size } => (None, *size as u64),
            Init::Bytes { contents } => (Some(contents.to_vec()), contents.len() as u64),
        };
        // All-zero writable data without pointers goes to `.bss`, as with
        // C compilers: the loader then sees a `.bss` map, not `.data`.
        let all_zero = bytes.as_ref().is_none_or(|b| b.iter().all(|&x| x == 0))
            && desc.function_relocs.is_empty()
            && desc.data_relocs.is_empty();
        let (section, kind) = match &desc.custom_segment_section {
            Some((_, section)) if section.starts_with(".bss") && bytes.is_none() => {
                (section.clone(), SectionKind::ZeroData)
            }
            Some((_, section)) if decl.writable => (section.clone(), SectionKind::Data),
            Some((_, section)) => (section.clone(), SectionKind::ReadOnlyData),
            None if !decl.writable => (".rodata".to_string(), SectionKind::ReadOnlyData),
            None if all_zero => (".bss".to_string(), SectionKind::ZeroData),
            None => (".data".to_string(), SectionKind::Data),
        };
        // Zero contents in an initialised section are written out.
        let bytes = match (kind, bytes) {
            (SectionKind::ZeroData, _) => None,
            (_, None) => Some(vec![0; size as usize]),
            (_, bytes) => bytes,
        };
        let align = desc.align.unwrap_or(1);
        let mut relocs = Vec::new();
        for &(offset, func_ref) in &desc.function_relocs {
            let target = &desc.function_decls[func_ref];
            relocs.push((offset, self.reloc_target_name(target), 0));
        }
        for &(offset, gv, addend) in &desc.data_relocs {
            let target = &desc.data_decls[gv];
            relocs.push((offset, self.reloc_target_name(target), addend));
        }
        if let Some((offset, ..)) = relocs
            .iter()
            .find(|(offset, ..)| u64::from(*offset) + 8 > size)
        {
            return Err(unsupported(format!(
                "data object `{name}`: pointer at offset {offset} lies outside its {size} bytes"
            )));
        }
        if kind == SectionKind::ZeroData && !relocs.is_empty() {
            return Err(unsupported(format!(
                "data object `{name}`: zero-initialised but holds pointers"
            )));
        }
        if !align.is_power_of_two() {
            return Err(unsupported(format!(
                "data object `{name}`: alignment {align} is not a power of two"
            )));
        }
        self.claim_section(&section, kind, &name)?;
        self.data.push(DefinedData {
            data,
            section,
            kind,
            bytes,
            size,
            align,
            relocs,
        });
        Ok(())
    }
}
