//! The link names `bpf_builtins` declarations carry, which the BPF
//! instruction selection recognises instead of calling a function:
//!
//! - `bpf_builtins.helper.N` (from `#[bpf_builtins::kernel_helper(N)]`):
//!   a kernel helper, `call N`;
//! - `bpf_builtins.kfunc.NAME` (from `#[bpf_builtins::kfunc]`): the kernel
//!   function `NAME`, an extern in `.ksyms` that libbpf resolves.
//!
//! Neither name ever reaches an object as a symbol.

const HELPER_PREFIX: &str = "bpf_builtins.helper.";
const KFUNC_PREFIX: &str = "bpf_builtins.kfunc.";

/// The helper number a link name stands for, if it names a declared helper.
pub(crate) fn helper_id(link_name: &str) -> Option<Result<i32, String>> {
    let digits = link_name.strip_prefix(HELPER_PREFIX)?;
    Some(
        digits
            .parse::<i32>()
            .ok()
            .filter(|id| *id >= 0)
            .ok_or_else(|| format!("`{link_name}`: `{digits}` is not a kernel helper number")),
    )
}

/// The kernel function a link name stands for, if it names a kfunc.
pub(crate) fn kfunc_name(link_name: &str) -> Option<&str> {
    link_name.strip_prefix(KFUNC_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(helper_id("bpf_builtins.helper.1"), Some(Ok(1)));
        assert!(matches!(helper_id("bpf_builtins.helper.x"), Some(Err(_))));
        assert!(matches!(helper_id("bpf_builtins.helper.-2"), Some(Err(_))));
        assert_eq!(helper_id("bpf_map_lookup_elem"), None);
        assert_eq!(
            kfunc_name("bpf_builtins.kfunc.bpf_task_release"),
            Some("bpf_task_release")
        );
        assert_eq!(kfunc_name("bpf_task_release"), None);
    }
}
