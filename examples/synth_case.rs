//! Replay one damaged generated report: write its bytes, print its flags.
fn main() {
    let seed: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (m, bytes, done) = gongkai::synth::verify::case(seed, true);
    std::fs::write("/tmp/case.bin", &bytes).unwrap();
    let r = gongkai::parse_bytes(&bytes, "x");
    println!("{} {:?} template={} ", m.options.layout_name(), done, r.meta.template);
    for f in &r.flags { println!("  {} {:?} {:?} {}", f.code.as_str(), f.table, f.row, f.message); }
}
