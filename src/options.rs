//! Backend options, passed as `-Cllvm-args=KEY=VALUE` (rustc forwards that
//! flag to whichever backend is loaded).

/// How trait-object vtables are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VtableAbi {
    /// Pointer-sized entries holding absolute addresses (rustc's classic layout).
    #[default]
    Absolute,
}

/// Options controlling code generation.
#[derive(Clone, Debug, Default)]
pub struct BackendOptions {
    pub vtables: VtableAbi,
}

impl BackendOptions {
    /// Parses the `-Cllvm-args` words; an unknown key or value is an error
    /// message for the user.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = BackendOptions::default();
        for arg in args {
            let (key, value) = arg.split_once('=').unwrap_or((arg.as_str(), ""));
            match (key, value) {
                ("vtables", "absolute") => options.vtables = VtableAbi::Absolute,
                ("vtables", other) => {
                    return Err(format!(
                        "rustc_codegen_bpf: unsupported vtable layout `{other}` (supported: absolute)"
                    ));
                }
                _ => {
                    return Err(format!(
                        "rustc_codegen_bpf: unknown option `-Cllvm-args={arg}`"
                    ));
                }
            }
        }
        Ok(options)
    }
}
