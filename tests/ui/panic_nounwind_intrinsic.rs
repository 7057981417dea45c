// `assert_inhabited` of an uninhabited type calls `panic_nounwind` with its
// message (one `&str` argument): this must compile, not fail inside the
// backend on the call's arguments.
#![feature(core_intrinsics)]
#![allow(internal_features)]

pub enum Never {}

pub fn check() {
    std::intrinsics::assert_inhabited::<Never>();
}
