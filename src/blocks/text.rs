//! Flattened text: tables survive as cells ending in `|`; lines without a
//! pipe are running text. A cell may end on the line after it started (one
//! cell per line), several may share a line (` | ` rows), and runs of bare
//! pipes pad short rows.

use super::{Block, Cell, Table, squash_ws};

pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut table: Option<Table> = None;
    // Cells beyond what the tokeniser reads (it flags the cut) would only
    // cost memory.
    let mut budget = crate::stream::MAX_TOKENS + 1;
    for line in text.lines() {
        if budget == 0 {
            break;
        }
        if line.contains('|') {
            let t = table.get_or_insert_with(Table::default);
            let row = split_line(line, budget);
            budget -= row.len().min(budget);
            t.rows.push(row);
        } else {
            if let Some(t) = table.take() {
                out.push(Block::Table(t));
            }
            let s = squash_ws(line);
            if !s.is_empty() {
                budget -= 1;
                out.push(Block::Para(s));
            }
        }
    }
    if let Some(t) = table {
        out.push(Block::Table(t));
    }
    out
}

/// Split one line into cells. An empty cell is `tight` when it is the gap
/// between two adjacent pipes on the same line (`||`).
fn split_line(line: &str, max: usize) -> Vec<Cell> {
    let parts: Vec<&str> = line.split('|').take(max + 1).collect();
    let last = parts.len().saturating_sub(1);
    let mut cells = Vec::with_capacity(parts.len());
    for (i, raw) in parts.iter().enumerate().take(max) {
        let text = squash_ws(raw);
        if i == last && text.is_empty() {
            break; // nothing after the final pipe
        }
        cells.push(Cell::new(text, raw.is_empty() && i > 0));
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_run_is_tight() {
        let b = blocks("0 | ||||||\n");
        let Some(Block::Table(t)) = b.first() else {
            panic!("no table")
        };
        let row = &t.rows[0];
        assert_eq!(row.len(), 7);
        assert!(!row[1].tight, "a blank between spaces is a real cell");
        assert!(row[2].tight && row[6].tight);
    }

    #[test]
    fn lines_without_pipes_are_paragraphs() {
        let b = blocks("二、主动公开政府信息情况\n规章 | 0 | 0 | 0 |\n三、收到");
        assert_eq!(b.len(), 3);
        assert_eq!(b[0], Block::Para("二、主动公开政府信息情况".into()));
        let Block::Table(t) = &b[1] else {
            panic!("no table")
        };
        assert_eq!(t.rows[0].len(), 4);
    }
}
