//! x86-64 System V requires `%al` to bound the number of vector registers a
//! call to a C-variadic function uses; Cranelift has no way to set it. Such
//! calls therefore go through a local trampoline per callee,
//! `mov $8, %al; jmp callee@PLT`, written into the object here. (Eight is
//! always a valid upper bound.) Lowering only names the trampoline, see
//! [`trampoline_name`].

use cranelift_module::Module;
use cranelift_object::ObjectModule;
use cranelift_object::object::write::{Object, Relocation, Symbol, SymbolSection};
use cranelift_object::object::{
    RelocationEncoding, RelocationFlags, RelocationKind, SectionKind, SymbolFlags, SymbolKind,
    SymbolScope,
};

const PREFIX: &str = "__rcgb_va_call.";

/// The name of the trampoline that calls the variadic function `callee`.
pub(crate) fn trampoline_name(callee: &str) -> String {
    format!("{PREFIX}{callee}")
}

/// Names of the trampolines the module's functions refer to.
pub(super) fn trampolines_used(module: &ObjectModule) -> Vec<String> {
    module
        .declarations()
        .get_functions()
        .filter_map(|(_, decl)| decl.name.as_deref())
        .filter(|name| name.starts_with(PREFIX))
        .map(str::to_owned)
        .collect()
}

/// Defines each trampoline as a local function of the object.
pub(super) fn define_trampolines(object: &mut Object<'_>, names: &[String]) -> Result<(), String> {
    for name in names {
        let callee = &name[PREFIX.len()..];
        let Some(tramp) = object.symbol_id(name.as_bytes()) else {
            continue;
        };
        let target = match object.symbol_id(callee.as_bytes()) {
            Some(id) => id,
            None => object.add_symbol(Symbol {
                name: callee.as_bytes().to_vec(),
                value: 0,
                size: 0,
                kind: SymbolKind::Text,
                scope: SymbolScope::Unknown,
                weak: false,
                section: SymbolSection::Undefined,
                flags: SymbolFlags::None,
            }),
        };
        let section = object.add_section(
            Vec::new(),
            format!(".text.{name}").into_bytes(),
            SectionKind::Text,
        );
        // mov $8, %al ; jmp rel32
        let code = [0xb0, 0x08, 0xe9, 0, 0, 0, 0];
        {
            let sym = object.symbol_mut(tramp);
            sym.scope = SymbolScope::Compilation;
            sym.kind = SymbolKind::Text;
        }
        object.add_symbol_data(tramp, section, &code, 16);
        object
            .add_relocation(
                section,
                Relocation {
                    offset: 3,
                    symbol: target,
                    addend: -4,
                    flags: RelocationFlags::Generic {
                        kind: RelocationKind::PltRelative,
                        encoding: RelocationEncoding::X86Branch,
                        size: 32,
                    },
                },
            )
            .map_err(|e| format!("cannot relocate trampoline `{name}`: {e}"))?;
    }
    Ok(())
}
