// Native helpers compiled from C live in `csrc/`: the `long double`
// arithmetic INCRBYFLOAT needs to print Redis's digits (see util/long_double.rs).
fn main() {
    println!("cargo:rerun-if-changed=csrc/long_double.c");
    cc::Build::new().file("csrc/long_double.c").warnings(true).compile("ferrokv_long_double");
}
