//! Dropping trait objects with and without drop glue.

use std::cell::Cell;
use std::rc::Rc;

thread_local! {
    static DROPS: Cell<u32> = const { Cell::new(0) };
}

trait Speak {
    fn speak(&self) -> String;
}
struct Loud(String);
impl Drop for Loud {
    fn drop(&mut self) {
        DROPS.with(|d| d.set(d.get() + 1));
        println!("drop Loud({})", self.0);
    }
}
impl Speak for Loud {
    fn speak(&self) -> String {
        self.0.to_uppercase()
    }
}
struct Quiet(u8);
impl Speak for Quiet {
    fn speak(&self) -> String {
        format!("quiet {}", self.0)
    }
}
// Drop glue without a Drop impl of its own: a field that needs dropping.
struct Wrapper {
    inner: Loud,
    n: u64,
}
impl Speak for Wrapper {
    fn speak(&self) -> String {
        format!("{} {}", self.inner.speak(), self.n)
    }
}

fn main() {
    {
        let v: Vec<Box<dyn Speak>> = vec![
            Box::new(Loud("a".into())),
            Box::new(Quiet(1)),
            Box::new(Wrapper { inner: Loud("b".into()), n: 7 }),
            Box::new(Quiet(2)),
        ];
        for s in &v {
            println!("{}", s.speak());
        }
        println!("drops before: {}", DROPS.with(|d| d.get()));
    }
    println!("drops after vec: {}", DROPS.with(|d| d.get()));
    let rc: Rc<dyn Speak> = Rc::new(Loud("rc".into()));
    let rc2 = rc.clone();
    drop(rc);
    println!("rc still alive: {}", rc2.speak());
    drop(rc2);
    let q: Box<dyn Speak> = Box::new(Quiet(3));
    drop(q);
    let zst: Box<dyn Speak> = Box::new(Quiet(4));
    std::mem::drop(zst);
    println!("drops at end: {}", DROPS.with(|d| d.get()));
}
