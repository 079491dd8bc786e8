//! Print the token stream of a report (a debugging aid for label work).
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        return;
    };
    let bytes = std::fs::read(path).unwrap_or_default();
    let text = gongkai::decode::decode(&bytes).text;
    let blocks = if text.contains("<table") {
        gongkai::blocks::html::blocks(&text).0
    } else {
        gongkai::blocks::text::blocks(&text)
    };
    for t in gongkai::stream::tokens(&blocks).toks {
        println!(
            "{:?}\t{}",
            t.kind,
            t.raw.chars().take(40).collect::<String>()
        );
    }
}
