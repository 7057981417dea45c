//! A program made of many trait objects: 48 types behind 6 traits (288
//! vtables), dispatched in a loop. Its output is compared with LLVM's; its
//! sections and relocations are what the vtable measurement reports.

use std::fmt::{Debug, Display};

trait Area {
    fn area(&self) -> u64;
}
trait Perimeter {
    fn perimeter(&self) -> u64;
}
trait Label {
    fn label(&self) -> String;
}
trait Scale {
    fn scale(&mut self, by: u64);
}
trait Weight: Area {
    fn weight(&self) -> u64 {
        self.area() * 3
    }
}
trait Shape: Area + Perimeter + Label + Scale + Weight + Debug {}

macro_rules! shapes {
    ($($name:ident = $k:expr;)*) => {
        $(
            #[derive(Debug, Clone)]
            struct $name(u64, u64);
            impl Area for $name {
                fn area(&self) -> u64 { self.0 * self.1 * $k }
            }
            impl Perimeter for $name {
                fn perimeter(&self) -> u64 { 2 * (self.0 + self.1) + $k }
            }
            impl Label for $name {
                fn label(&self) -> String { format!("{}{}", stringify!($name), self.0) }
            }
            impl Scale for $name {
                fn scale(&mut self, by: u64) { self.0 = self.0 * by % 1000; self.1 += $k; }
            }
            impl Weight for $name {}
            impl Shape for $name {}
            impl Display for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "<{} {}>", self.0, self.1)
                }
            }
        )*
        fn all_shapes(seed: u64) -> Vec<Box<dyn Shape>> {
            vec![$(Box::new($name(seed % 17 + 1, $k)) as Box<dyn Shape>,)*]
        }
        fn all_display(seed: u64) -> Vec<Box<dyn Display>> {
            vec![$(Box::new($name(seed, $k)) as Box<dyn Display>,)*]
        }
        fn all_area() -> Vec<&'static dyn Area> {
            vec![$(&$name(2, $k) as &dyn Area,)*]
        }
    };
}

shapes! {
    S0 = 1; S1 = 2; S2 = 3; S3 = 4; S4 = 5; S5 = 6; S6 = 7; S7 = 8;
    S8 = 9; S9 = 10; S10 = 11; S11 = 12; S12 = 13; S13 = 14; S14 = 15; S15 = 16;
    S16 = 17; S17 = 18; S18 = 19; S19 = 20; S20 = 21; S21 = 22; S22 = 23; S23 = 24;
    S24 = 25; S25 = 26; S26 = 27; S27 = 28; S28 = 29; S29 = 30; S30 = 31; S31 = 32;
    S32 = 33; S33 = 34; S34 = 35; S35 = 36; S36 = 37; S37 = 38; S38 = 39; S39 = 40;
    S40 = 41; S41 = 42; S42 = 43; S43 = 44; S44 = 45; S45 = 46; S46 = 47; S47 = 48;
}

fn main() {
    let rounds: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let mut shapes = all_shapes(rounds);
    let mut checksum = 0u64;
    for r in 0..rounds {
        for s in shapes.iter_mut() {
            s.scale(r % 5 + 1);
            let weight: &dyn Weight = &**s;
            let area: &dyn Area = weight;
            checksum = checksum
                .wrapping_mul(31)
                .wrapping_add(s.perimeter() + weight.weight() + area.area());
        }
    }
    let labels: Vec<String> = shapes.iter().take(5).map(|s| s.label()).collect();
    println!("checksum {checksum} labels {labels:?}");
    println!("{:?}", &shapes[..2]);
    let shown: Vec<String> = all_display(rounds).iter().step_by(7).map(|d| d.to_string()).collect();
    println!("{}", shown.join(" "));
    println!("areas {}", all_area().iter().map(|a| a.area()).sum::<u64>());
}
