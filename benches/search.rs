//! Type-to-search as an officer types: every prefix of a few names, searched
//! over the seed meeting's roster and the Member States, as the candidates
//! are shown again at each key. The figure is for the whole typing; divide
//! by the number of searches printed first for one key.
//!
//! `cargo bench --bench search`.

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gavel::tui::search::search;

/// What officers type: a State by the start of its words, by its initials or
/// with letters missing, a roster member by a representative's name, and one
/// name found nowhere.
const TYPED: &[&str] = &[
    "rus fed",
    "cote d'iv",
    "cdi",
    "lacrx",
    "burkina",
    "united k",
    "guterres",
    "xyzzy",
];

fn keystrokes() -> Vec<String> {
    TYPED
        .iter()
        .flat_map(|typed| {
            typed
                .char_indices()
                .map(|(i, c)| typed[..i + c.len_utf8()].to_string())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let meeting = common::seed_meeting();
    let keys = keystrokes();
    println!("{} searches a typing", keys.len());
    c.bench_function("search/typing", |b| {
        b.iter(|| {
            for typed in &keys {
                black_box(search(&meeting, black_box(typed)));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
