//! Trait upcasting through several levels and diamonds.

trait Base {
    fn base(&self) -> u32;
}
trait Mid1: Base {
    fn mid1(&self) -> u32;
}
trait Mid2: Base {
    fn mid2(&self) -> u32;
}
trait Diamond: Mid1 + Mid2 {
    fn diamond(&self) -> u32;
}
trait Top: Diamond + std::fmt::Debug {
    fn top(&self) -> u32;
}

#[derive(Debug)]
struct Thing(u32);
impl Base for Thing {
    fn base(&self) -> u32 {
        self.0
    }
}
impl Mid1 for Thing {
    fn mid1(&self) -> u32 {
        self.0 + 10
    }
}
impl Mid2 for Thing {
    fn mid2(&self) -> u32 {
        self.0 + 20
    }
}
impl Diamond for Thing {
    fn diamond(&self) -> u32 {
        self.mid1() + self.mid2()
    }
}
impl Top for Thing {
    fn top(&self) -> u32 {
        self.diamond() * 2
    }
}

#[inline(never)]
fn to_diamond(t: &dyn Top) -> &dyn Diamond {
    t
}
#[inline(never)]
fn to_mid1(d: &dyn Diamond) -> &dyn Mid1 {
    d
}
#[inline(never)]
fn to_mid2(d: &dyn Diamond) -> &dyn Mid2 {
    d
}
#[inline(never)]
fn to_base(m: &dyn Mid2) -> &dyn Base {
    m
}

fn main() {
    let things: Vec<Box<dyn Top>> = vec![Box::new(Thing(1)), Box::new(Thing(5))];
    for t in &things {
        let d = to_diamond(&**t);
        let m1 = to_mid1(d);
        let m2 = to_mid2(d);
        let b1: &dyn Base = m1;
        let b2 = to_base(m2);
        let dbg: &dyn std::fmt::Debug = &**t;
        println!(
            "top {} diamond {} mid1 {} mid2 {} base {} {} {:?}",
            t.top(),
            d.diamond(),
            m1.mid1(),
            m2.mid2(),
            b1.base(),
            b2.base(),
            dbg
        );
    }
    // Upcasting owned boxes and constants.
    let boxed: Box<dyn Top> = Box::new(Thing(9));
    let boxed: Box<dyn Diamond> = boxed;
    let boxed: Box<dyn Mid2> = boxed;
    let boxed: Box<dyn Base> = boxed;
    println!("boxed base {}", boxed.base());
    const C: &dyn Diamond = &Thing(3);
    let c: &dyn Mid1 = C;
    let c: &dyn Base = c;
    println!("const base {}", c.base());
    let any: Box<dyn std::any::Any> = Box::new(7u8);
    let any: Box<dyn std::any::Any + 'static> = any;
    println!("any {:?}", any.downcast_ref::<u8>());
}
