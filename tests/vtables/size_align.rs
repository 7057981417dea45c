//! size_of_val / align_of_val on trait objects and on structs with
//! trait-object tails; DynMetadata's size, align and layout.

#![feature(ptr_metadata)]

use std::fmt::Debug;
use std::mem::{align_of_val, size_of_val};
use std::ptr::{DynMetadata, metadata};

#[repr(align(64))]
#[derive(Debug)]
struct Big([u8; 100]);

#[derive(Debug)]
struct Tail<T: ?Sized> {
    tag: u8,
    value: T,
}

fn report(label: &str, d: &dyn Debug) {
    let meta: DynMetadata<dyn Debug> = metadata(d);
    println!(
        "{label}: size {} align {} meta {} {} {:?}",
        size_of_val(d),
        align_of_val(d),
        meta.size_of(),
        meta.align_of(),
        meta.layout()
    );
}

fn main() {
    report("u8", &1u8);
    report("u64", &1u64);
    report("u128", &1u128);
    report("str ref", &"hello");
    report("array", &[1u32; 7]);
    let big = Big([3; 100]);
    println!("big holds {}", big.0[99]);
    report("big", &big);
    report("unit", &());
    let tails: [&Tail<dyn Debug>; 4] = [
        &Tail { tag: 1, value: 2u8 },
        &Tail { tag: 1, value: 2u64 },
        &Tail { tag: 1, value: Big([1; 100]) },
        &Tail { tag: 1, value: (1u16, 2u32) },
    ];
    for t in tails {
        println!(
            "tail size {} align {} tag {} value {:?}",
            size_of_val(t),
            align_of_val(t),
            t.tag,
            &t.value
        );
    }
    let boxed: Box<Tail<dyn Debug>> = Box::new(Tail { tag: 9, value: [7u16; 3] });
    println!("boxed {} {} {:?}", size_of_val(&*boxed), align_of_val(&*boxed), boxed);
}
