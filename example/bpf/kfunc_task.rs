//! A kfunc call: a `syscall` program looks up the task of the pid its
//! context holds with the kfunc `bpf_task_from_pid` and, when it finds
//! one, releases it with `bpf_task_release` and returns 1; otherwise 0.
//! Both are declared with `#[bpf_builtins::kfunc]`, so the object lists
//! them as `.ksyms` externs that libbpf resolves against the kernel's BTF.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;

/// The kernel's `struct task_struct`, opaque.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct task_struct {
    _opaque: [u8; 0],
}

#[bpf_builtins::kfunc]
fn bpf_task_from_pid(pid: i32) -> *mut task_struct;

#[bpf_builtins::kfunc]
fn bpf_task_release(task: *mut task_struct);

#[unsafe(no_mangle)]
#[unsafe(link_section = "syscall")]
pub extern "C" fn kfunc_task(ctx: *const i32) -> i32 {
    let pid = unsafe { *ctx };
    let task = unsafe { bpf_task_from_pid(pid) };
    if task.is_null() {
        return 0;
    }
    unsafe { bpf_task_release(task) };
    1
}
