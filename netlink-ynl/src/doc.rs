//! Spec `doc` text to rustdoc lines that say the same and cannot break `cargo doc` or run as
//! doctests: each line's indentation is dropped (an indented block would be a code example),
//! code fences are escaped, `[`, `]`, `<` and `>` outside inline code are escaped (they would be
//! links and HTML tags), bare URLs are wrapped in `<...>`.

/// The doc lines for `text`: trimmed, blank runs collapsed, no blank line first or last.
pub(crate) fn lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // The marker width of the list item being continued, if any.
    let mut item: Option<usize> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            item = None;
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        let escaped = escape_line(line);
        match list_marker(line) {
            Some(w) => {
                item = Some(w);
                out.push(escaped);
            }
            // A lazy continuation of a list item is indented under the item's text.
            None => match item {
                Some(w) => out.push(format!("{}{escaped}", " ".repeat(w))),
                None => out.push(escaped),
            },
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// The width of a list item marker at the start of `line` (`- `, `* `, `+ `, `1. `, `1) `).
fn list_marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = line.get(digits..).unwrap_or("");
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return Some(digits + 2);
        }
    }
    None
}

fn escape_line(line: &str) -> String {
    let mut s = String::with_capacity(line.len() + 8);
    let mut rest = line;
    if let Some(r) = rest.strip_prefix("```") {
        s.push_str("\\`\\`\\`");
        rest = r;
    } else if let Some(r) = rest.strip_prefix('~') {
        // `~~~` would open a code block: escape the first tilde.
        s.push_str("\\~");
        rest = r;
    }
    // A balanced pair of backticks is inline code, left as is; an odd one out is escaped.
    let ticks = rest.matches('`').count();
    let mut in_code = false;
    let mut seen_ticks = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '`' {
            seen_ticks += 1;
            if !in_code && seen_ticks == ticks && ticks % 2 == 1 {
                s.push_str("\\`");
                continue;
            }
            in_code = !in_code;
            s.push(c);
            continue;
        }
        if in_code {
            s.push(c);
            continue;
        }
        let tail = rest.get(i..).unwrap_or("");
        if tail.starts_with("http://") || tail.starts_with("https://") {
            let end = tail
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == ']')
                .unwrap_or(tail.len());
            let url = tail.get(..end).unwrap_or(tail);
            let url = url.trim_end_matches(['.', ',', ';', ':']);
            s.push('<');
            s.push_str(url);
            s.push('>');
            // Skip the URL's remaining characters.
            let skip = url.chars().count().saturating_sub(1);
            for _ in 0..skip {
                chars.next();
            }
            continue;
        }
        match c {
            '[' | ']' | '<' | '>' => {
                s.push('\\');
                s.push(c);
            }
            _ => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn escapes() {
        assert_eq!(
            lines("  Set [foo] <b>\n\n\n    code\n"),
            ["Set \\[foo\\] \\<b\\>", "", "code"]
        );
        assert_eq!(lines("see https://x.org/a."), ["see <https://x.org/a>."]);
        assert_eq!(lines("`a[1]` and `b"), ["`a[1]` and \\`b"]);
        assert_eq!(lines("```\nx\n```"), ["\\`\\`\\`", "x", "\\`\\`\\`"]);
        assert_eq!(lines("- a\nb\n\nc"), ["- a", "  b", "", "c"]);
        assert_eq!(lines("~~~~"), ["\\~~~~"]);
    }
}
