fn main() {
    println!("gavel");
}
