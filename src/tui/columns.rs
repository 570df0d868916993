//! How many columns text takes on the terminal, and how it is cut and
//! wrapped to fit: the one measure for the panes, the prompt and the boxes.

use ratatui::text::Span;

/// Columns a text takes on the terminal, as ratatui measures it.
pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

/// What a terminal draws as one: a letter with its marks, a flag (two
/// regional indicators), an emoji sequence or a conjunct joined by ZWJ.
/// Text is cut and wrapped only between these, each measured whole, so no
/// half of one is ever left in a cell of its own.
pub fn graphemes(text: &str) -> impl Iterator<Item = (&str, usize)> {
    use unicode_segmentation::UnicodeSegmentation;
    text.graphemes(true).map(|g| (g, width(g)))
}

/// The longest start of `text` that fits in `max` columns, cut between graphemes.
pub fn first_columns(text: &str, max: usize) -> &str {
    let mut used = 0;
    let mut end = 0;
    for (g, w) in graphemes(text) {
        if used + w > max {
            break;
        }
        used += w;
        end += g.len();
    }
    &text[..end]
}

/// Words to lines of at most `max` columns; a word wider than that is cut,
/// between graphemes.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let word = first_columns(word, max);
        let word_w = width(word);
        if !line.is_empty() && used + 1 + word_w > max {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if !line.is_empty() {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += word_w;
    }
    lines.push(line);
    lines
}
