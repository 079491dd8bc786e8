fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(200);
    let damage = std::env::args().nth(2).is_some();
    print!("{}", gongkai::synth::verify::Tally::run(0, n, damage));
}
