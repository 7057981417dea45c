//! Trait objects in constants and statics, nested and through generics:
//! their vtables come from the same emitter as those of runtime coercions.

use std::fmt::{Debug, Display};

const X: &dyn Display = &42i32;
static S: &(dyn Display + Sync) = &"a static str";
static NESTED: &[&(dyn Debug + Sync)] = &[&1u8, &"two", &[3u16, 4], &Some(5i64)];

struct Holder {
    name: &'static str,
    shown: &'static (dyn Display + Sync),
    inner: &'static (dyn Debug + Sync),
}

static HOLDER: Holder = Holder { name: "holder", shown: &2.5f64, inner: &(1u8, 'c') };
const DEEP: &&&dyn Display = &&(&'x' as &dyn Display);

trait Shape: Sync {
    fn area(&self) -> f64;
    fn name(&self) -> String {
        "shape".to_string()
    }
}
struct Square(f64);
struct Circle(f64);
impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
    fn name(&self) -> String {
        format!("square {}", self.0)
    }
}
impl Shape for Circle {
    fn area(&self) -> f64 {
        3.0 * self.0 * self.0
    }
}
static SHAPES: [&dyn Shape; 3] = [&Square(2.0), &Circle(1.0), &Square(0.5)];

trait Named {
    const OBJ: &'static dyn Display;
}
struct A;
impl Named for A {
    const OBJ: &'static dyn Display = &"assoc const of A";
}
fn show<T: Named>() -> String {
    format!("<{}>", T::OBJ)
}

fn main() {
    println!("{X}");
    println!("{}", X);
    println!("{S}");
    println!("{:?}", NESTED);
    println!("{} {} {:?}", HOLDER.name, HOLDER.shown, HOLDER.inner);
    println!("{}", **DEEP);
    for s in SHAPES {
        println!("{} {}", s.name(), s.area());
    }
    println!("{}", show::<A>());
    // The same vtable from a constant and from a runtime coercion.
    let runtime: &dyn Display = &42i32;
    println!("{} {}", runtime, X);
    let v: Vec<&dyn Display> = vec![X, &7u8, S];
    let joined: Vec<String> = v.iter().map(|d| d.to_string()).collect();
    println!("{}", joined.join(","));
}
