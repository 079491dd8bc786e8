fn main() {
    let seed: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let m = gongkai::synth::generate(seed);
    std::io::Write::write_all(&mut std::io::stdout(), &m.bytes()).unwrap();
}
