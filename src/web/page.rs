//! The pages as HTML, and the files they load. HTML is written here only, and
//! every text from a meeting file goes through [`escape`]: the board shell
//! carries the meeting's title, the index every served meeting's; the rest
//! of the board the browser puts in with `textContent`, from the JSON.

/// The board's script, style and shell, built into the binary: a room's
/// screen reaches nothing but this server.
pub const BOARD_JS: &str = include_str!("assets/board.js");
pub const BOARD_CSS: &str = include_str!("assets/board.css");
const BOARD_HTML: &str = include_str!("assets/board.html");

/// One served meeting, as the index lists it.
pub struct Listed<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub venue: &'a str,
    pub room: &'a str,
    pub date: String,
}

/// Text made safe to stand between tags or inside a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A meeting id as a path segment: ids are letters, digits, `-` and `_` in
/// a checked meeting file, and anything else is percent-encoded all the same.
pub fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The index: each served meeting, linked to its board. `query` is what
/// the links carry on (`?token=…`, already encoded), or empty.
pub fn index(meetings: &[Listed<'_>], query: &str) -> String {
    let mut items = String::new();
    for m in meetings {
        let place = [m.venue, m.room]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| escape(s))
            .collect::<Vec<_>>()
            .join(", ");
        items.push_str(&format!(
            "<li><a href=\"/m/{path}{query}\">{title}</a><span class=\"where\">{place} · {date}</span>\
             <a class=\"json\" href=\"/m/{path}/state.json{query}\">state.json</a></li>\n",
            path = escape(&path_segment(m.id)),
            query = escape(query),
            title = escape(m.title),
            date = escape(&m.date),
        ));
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>gavel: meetings served</title>\n<link rel=\"stylesheet\" href=\"/assets/board.css\">\n\
         </head>\n<body class=\"index\">\n<h1>Meetings served</h1>\n<ul class=\"meetings\">\n{items}</ul>\n\
         </body>\n</html>\n"
    )
}

/// The board's shell: the page fills it from the event stream.
pub fn board(title: &str) -> String {
    BOARD_HTML.replace("{{title}}", &escape(title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        let page = board("</title><script>alert(1)</script>");
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("&lt;/title&gt;&lt;script&gt;"));
    }

    #[test]
    fn ids_are_percent_encoded_in_paths() {
        assert_eq!(path_segment("mali-2017_a"), "mali-2017_a");
        assert_eq!(path_segment("a b/\"c"), "a%20b%2F%22c");
    }

    #[test]
    fn the_index_escapes_titles_and_links() {
        let m = Listed {
            id: "x\"><img src=x>",
            title: "<b>Hostile</b>",
            venue: "A & B",
            room: "",
            date: "2017-09-20".into(),
        };
        let page = index(&[m], "?token=a&b");
        assert!(!page.contains("<b>Hostile"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(page.contains("&lt;b&gt;Hostile&lt;/b&gt;"));
        assert!(page.contains("A &amp; B"));
        assert!(page.contains("?token=a&amp;b"));
    }
}
