//! CO-RE against the running kernel: a `syscall` program reads its own
//! `task_struct` through relocated field accesses and answers every kind
//! of CO-RE query, writing the results into its context for the test to
//! compare with `getpid()`/`gettid()`/`getppid()` and the kernel's BTF.
//! The local types are deliberately partial and out of the kernel's
//! order, so only relocation gives the right answers.

#![no_std]
#![no_main]
#![allow(non_camel_case_types)]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

#[btf::relocatable]
pub struct sched_entity {
    pub vruntime: u64,
}

#[btf::relocatable]
pub struct task_struct {
    pub se: sched_entity,
    pub tgid: i32,
    pub pid: i32,
    pub real_parent: *const task_struct,
}

/// A flavor of `task_struct` with a field no kernel has.
#[btf::relocatable]
pub struct task_struct___mine {
    pub pid: i32,
    pub no_such_field_in_task_struct: u64,
}

/// Matches the kernel's `list_head` (TYPE_MATCHES).
#[btf::relocatable]
pub struct list_head {
    pub next: *const list_head,
    pub prev: *const list_head,
}

/// A type no kernel has.
#[btf::relocatable]
pub struct no_such_kernel_type {
    pub x: u32,
}

#[btf::relocatable]
pub enum pid_type {
    PIDTYPE_SID = 7,
    PIDTYPE_TGID = 9,
    PIDTYPE_NO_SUCH_TYPE = 11,
}

/// The answers, one `u64` each, in the order the test reads them (named
/// fields: stores into the context need constant offsets).
#[repr(C)]
pub struct Results {
    pub core_read_pid: u64,
    pub core_read_tgid: u64,
    pub core_read_parent_tgid: u64,
    pub direct_pid: u64,
    pub field_byte_offset: u64,
    pub nested_field_byte_offset: u64,
    pub field_byte_size: u64,
    pub field_exists: u64,
    pub field_missing: u64,
    pub field_byte_offset_missing: u64,
    pub field_signed: u64,
    pub field_unsigned: u64,
    pub field_lshift: u64,
    pub field_rshift: u64,
    pub type_exists_flavor: u64,
    pub type_missing: u64,
    pub type_size: u64,
    pub type_size_missing: u64,
    pub type_matches_missing: u64,
    pub type_id_target: u64,
    pub type_id_local: u64,
    pub enum_value_missing: u64,
    pub enum_value_tgid: u64,
    pub enum_value_sid: u64,
    pub type_matches: u64,
    pub type_matches_mismatch: u64,
}

const BPF_GET_CURRENT_TASK: usize = 35;
const BPF_GET_CURRENT_TASK_BTF: usize = 158;

#[unsafe(no_mangle)]
#[unsafe(link_section = "syscall")]
pub extern "C" fn core_task(out: *mut Results) -> u32 {
    let (task, task_btf) = unsafe {
        let current: extern "C" fn() -> *const task_struct =
            core::mem::transmute(BPF_GET_CURRENT_TASK);
        let current_btf: extern "C" fn() -> *const task_struct =
            core::mem::transmute(BPF_GET_CURRENT_TASK_BTF);
        (current(), current_btf())
    };
    let out = unsafe { &mut *out };
    // One function per group of answers, each storing as it goes: in debug
    // builds one function computing them all needs too big a frame.
    reads(task, task_btf, out);
    field_queries(out);
    type_queries(out);
    enum_queries(out);
    1
}

#[inline(never)]
fn reads(task: *const task_struct, task_btf: *const task_struct, out: &mut Results) {
    unsafe {
        out.core_read_pid = btf::core_read!(task, pid) as u64;
        out.core_read_tgid = btf::core_read!(task, tgid) as u64;
        out.core_read_parent_tgid = btf::core_read!(task, real_parent, tgid) as u64;
        // A direct, relocated load from a BTF pointer.
        out.direct_pid = (*task_btf).pid as u64;
    }
}

#[inline(never)]
fn field_queries(out: &mut Results) {
    out.field_byte_offset = btf::field_byte_offset!(task_struct, pid).unwrap_or(usize::MAX) as u64;
    out.nested_field_byte_offset =
        btf::field_byte_offset!(task_struct, se.vruntime).unwrap_or(usize::MAX) as u64;
    out.field_byte_size =
        btf::field_byte_size!(task_struct, real_parent).unwrap_or(usize::MAX) as u64;
    out.field_exists = btf::field_exists!(task_struct___mine, pid) as u64;
    out.field_missing = btf::field_exists!(task_struct___mine, no_such_field_in_task_struct) as u64;
    out.field_byte_offset_missing =
        btf::field_byte_offset!(task_struct___mine, no_such_field_in_task_struct)
            .map_or(77, |o| o as u64);
    out.field_signed = btf::field_signed!(task_struct, pid) as u64;
    out.field_unsigned = btf::field_signed!(task_struct, se.vruntime) as u64;
    out.field_lshift = btf::field_lshift!(task_struct, pid) as u64;
    out.field_rshift = btf::field_rshift!(task_struct, pid) as u64;
}

#[inline(never)]
fn type_queries(out: &mut Results) {
    out.type_exists_flavor = btf::type_exists!(task_struct___mine) as u64;
    out.type_missing = btf::type_exists!(no_such_kernel_type) as u64;
    out.type_size = btf::type_size!(task_struct) as u64;
    out.type_size_missing = btf::type_size!(no_such_kernel_type) as u64;
    out.type_matches_missing = btf::type_matches!(no_such_kernel_type) as u64;
    out.type_id_target = (btf::type_id_target!(task_struct) != 0) as u64;
    out.type_id_local = (btf::type_id_local!(task_struct) != 0) as u64;
    out.type_matches = btf::type_matches!(list_head) as u64;
    out.type_matches_mismatch = btf::type_matches!(task_struct___mine) as u64;
}

#[inline(never)]
fn enum_queries(out: &mut Results) {
    out.enum_value_missing = btf::enum_value_exists!(pid_type::PIDTYPE_NO_SUCH_TYPE) as u64;
    out.enum_value_tgid = btf::enum_value!(pid_type::PIDTYPE_TGID) as u64;
    out.enum_value_sid = btf::enum_value!(pid_type::PIDTYPE_SID) as u64;
}
