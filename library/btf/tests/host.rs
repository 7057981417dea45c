//! The macros' host answers: the local layout.

#![allow(non_camel_case_types)]

use core::mem::{offset_of, size_of};

#[btf::relocatable]
pub struct load_weight {
    pub weight: u64,
    pub inv_weight: u32,
}

#[btf::relocatable]
pub struct sched_entity {
    pub load: load_weight,
    pub vruntime: u64,
    pub nice: i16,
}

#[btf::relocatable]
pub struct task_struct {
    pub state: u32,
    pub se: sched_entity,
    pub pid: i32,
    pub tgid: i32,
    pub real_parent: *const task_struct,
}

#[btf::relocatable(name = "task_struct")]
pub struct task_struct___mine {
    pub pid: i32,
    pub only_mine: u8,
}

#[btf::relocatable]
pub union u___flavored {
    pub a: u8,
    pub b: u64,
}

#[btf::relocatable]
#[repr(u32)]
#[derive(Clone, Copy)]
pub enum pid_type {
    PIDTYPE_PID,
    PIDTYPE_TGID = 5,
    PIDTYPE_PGID,
}

#[test]
fn names() {
    use btf::Relocatable;
    assert_eq!(task_struct::BTF_NAME, "task_struct");
    assert_eq!(task_struct___mine::BTF_NAME, "task_struct");
    assert_eq!(u___flavored::BTF_NAME, "u___flavored");
    assert_eq!(pid_type::BTF_NAME, "pid_type");
}

#[test]
fn field_queries_answer_with_the_local_layout() {
    assert!(btf::field_exists!(task_struct, se.vruntime));
    assert_eq!(
        btf::field_byte_offset!(task_struct, se.vruntime),
        Some(offset_of!(task_struct, se) + offset_of!(sched_entity, vruntime))
    );
    assert_eq!(
        btf::field_byte_offset!(task_struct, se.load.inv_weight),
        Some(8 + 8)
    );
    assert_eq!(btf::field_byte_size!(task_struct, se.nice), Some(2));
    assert_eq!(
        btf::field_byte_size!(task_struct, se),
        Some(size_of::<sched_entity>())
    );
    assert_eq!(btf::field_byte_offset!(u___flavored, b), Some(0));
    assert!(btf::field_signed!(task_struct, pid));
    assert!(!btf::field_signed!(task_struct, state));
    assert!(!btf::field_signed!(task_struct, real_parent));
    assert_eq!(btf::field_lshift!(task_struct, se.nice), 48);
    assert_eq!(btf::field_rshift!(task_struct, pid), 32);
    assert_eq!(btf::field_lshift!(task_struct, real_parent), 0);
}

#[test]
fn type_and_enum_queries_answer_with_the_local_layout() {
    assert!(btf::type_exists!(task_struct___mine));
    assert!(btf::type_matches!(task_struct));
    assert_eq!(btf::type_size!(task_struct), size_of::<task_struct>());
    assert_eq!(btf::type_size!(u___flavored), 8);
    assert_eq!(btf::type_id_local!(task_struct), 0);
    assert_eq!(btf::type_id_target!(task_struct), 0);
    assert!(btf::enum_value_exists!(pid_type::PIDTYPE_PGID));
    assert_eq!(btf::enum_value!(pid_type::PIDTYPE_TGID), 5);
    assert_eq!(btf::enum_value!(pid_type::PIDTYPE_PGID), 6);
}

#[test]
fn core_read_follows_pointers() {
    let parent = task_struct {
        state: 0,
        se: sched_entity {
            load: load_weight {
                weight: 1,
                inv_weight: 2,
            },
            vruntime: 77,
            nice: -3,
        },
        pid: 10,
        tgid: 11,
        real_parent: core::ptr::null(),
    };
    let child = task_struct {
        real_parent: &parent,
        pid: 20,
        tgid: 21,
        ..parent
    };
    let child: *const task_struct = &child;
    unsafe {
        assert_eq!(btf::core_read!(child, pid), 20);
        assert_eq!(btf::core_read!(child, real_parent, tgid), 11);
        assert_eq!(btf::core_read!(child, real_parent, se.vruntime), 77);
        assert_eq!(btf::core_read!(child, real_parent, se.load.inv_weight), 2);
    }
}
