//! `./y.sh prepare`: fetches what the build needs besides the toolchain.
//! Nothing yet: the sysroot sources come with the toolchain's rust-src.

pub fn main(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("prepare takes no arguments, got `{arg}`"));
    }
    println!("prepare: nothing to fetch yet");
    Ok(())
}
