//! Backend options, passed as `-Cllvm-args=KEY=VALUE` (rustc forwards that
//! flag to whichever backend is loaded).

use rustc_session::Session;
use rustc_target::spec::Arch;

/// How trait-object vtables are laid out (see [`crate::vtable`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VtableAbi {
    /// 32-bit entries: functions and super-trait vtables as offsets from the
    /// vtable's start, size and align as `u32`. Read-only data without
    /// dynamic relocations.
    #[default]
    Relative,
    /// Pointer-sized entries holding absolute addresses (rustc's classic layout).
    Absolute,
}

impl VtableAbi {
    /// The option value and the name the vtable-layout note records.
    pub fn name(self) -> &'static str {
        match self {
            VtableAbi::Relative => "relative",
            VtableAbi::Absolute => "absolute",
        }
    }
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
                ("vtables", "relative") => options.vtables = VtableAbi::Relative,
                ("vtables", "absolute") => options.vtables = VtableAbi::Absolute,
                ("vtables", other) => {
                    return Err(format!(
                        "rustc_codegen_bpf: unsupported vtable layout `{other}` (supported: relative, absolute)"
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

    /// Checks the options against the session's target.
    pub fn validate(&self, sess: &Session) -> Result<(), String> {
        let arch = &sess.target.arch;
        if self.vtables == VtableAbi::Relative && !matches!(arch, Arch::X86_64 | Arch::Bpf) {
            return Err(format!(
                "rustc_codegen_bpf: relative vtables are implemented for x86-64 only; \
                 pass `-Cllvm-args=vtables=absolute` for {}",
                sess.target.llvm_target
            ));
        }
        Ok(())
    }
}

/// The vtable layout of the session's code: the `vtables` option on host
/// targets; always [`VtableAbi::Absolute`] on eBPF, where vtables are
/// ordinary constants (a virtual call is an indirect call, which no
/// verifier accepts, and eBPF has no PC-relative data relocation).
pub(crate) fn vtable_abi(sess: &Session) -> VtableAbi {
    if sess.target.arch == Arch::Bpf {
        return VtableAbi::Absolute;
    }
    // `init` already reported malformed options.
    BackendOptions::parse(&sess.opts.cg.llvm_args)
        .map(|o| o.vtables)
        .unwrap_or_default()
}
