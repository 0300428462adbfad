// Native helpers compiled from C live in `csrc/`; none yet.
fn main() {}
