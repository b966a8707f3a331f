//! Descriptions made into doc comments that rustdoc and clippy accept as they are: no code
//! blocks (indented lines or fences would become doctests), no HTML tags or links taken
//! literally, no list item followed by a lazy continuation, lines wrapped to fit.

/// The doc comment lines (without `///`) for `text`, wrapped to `width` columns.
pub fn doc_lines(text: &str, width: usize) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace(['\r', '\t'], " ");
    let mut out: Vec<String> = Vec::new();
    for paragraph in text.split("\n\n") {
        let words: Vec<String> = paragraph
            .split_whitespace()
            .map(escape_word)
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        let mut line = String::new();
        for (i, word) in words.iter().enumerate() {
            let word = if i == 0 {
                escape_marker(word)
            } else {
                word.clone()
            };
            // A wrapped line must not start like a list item, heading or quote.
            let fits = line.len() + 1 + word.len() <= width;
            if line.is_empty() || !fits && starts_block(&word) {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
            } else if fits {
                line.push(' ');
                line.push_str(&word);
            } else {
                out.push(std::mem::take(&mut line));
                line = word;
            }
        }
        out.push(line);
    }
    out
}

/// Escapes what markdown would read as markup or HTML: `<`, `>`, `[`, `]`, backticks,
/// backslashes; a bare URL is written as an autolink.
fn escape_word(word: &str) -> String {
    let word: String = word.chars().filter(|c| !c.is_control()).collect();
    if (word.starts_with("http://") || word.starts_with("https://"))
        && !word.contains(['<', '>', '`', '[', ']', '(', ')', '"', '\\'])
    {
        let end = word.trim_end_matches(['.', ',', ';', ':', '\'']);
        return format!("<{end}>{}", &word[end.len()..]);
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '<' | '>' | '[' | ']' | '`' | '\\' | '*' | '_' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether a line starting with `word` would start a markdown block (list, heading, quote,
/// table, rule).
fn starts_block(word: &str) -> bool {
    let digits = word.trim_start_matches(|c: char| c.is_ascii_digit());
    matches!(word.chars().next(), Some('-' | '+' | '#' | '=' | '\\'))
        || (digits.len() < word.len() && (digits.starts_with('.') || digits.starts_with(')')))
}

/// The first word of a paragraph, escaped when it would start a block.
fn escape_marker(word: &str) -> String {
    if word.starts_with('\\') {
        return word.to_string();
    }
    if starts_block(word) {
        let digits = word.trim_start_matches(|c: char| c.is_ascii_digit());
        if digits.len() < word.len() {
            let n = word.len() - digits.len();
            return format!("{}\\{}", &word[..n], &word[n..]);
        }
        return format!("\\{word}");
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_html_links_and_lists_are_neutralised() {
        let lines = doc_lines(
            "Lists files.\n\n    indented code\n```\nfence\n```\nSee <b>bold</b> [x](y) https://example.com/a.\n- item\n1. one",
            40,
        );
        let all = lines.join("\n");
        assert!(!all.contains("    "), "{all}");
        assert!(!all.contains("```"), "{all}");
        assert!(all.contains("\\<b\\>"), "{all}");
        assert!(all.contains("<https://example.com/a>."), "{all}");
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with("- ") && !l.starts_with("1.")),
            "{all}"
        );
        // A line is longer than the width only when breaking it would start a block.
        assert!(
            lines
                .iter()
                .all(|l| l.len() <= 40 || l.split(' ').skip(1).any(starts_block)),
            "{all}"
        );
        assert_eq!(lines[0], "Lists files.");
        assert_eq!(lines[1], "");
    }

    #[test]
    fn a_wrapped_line_never_starts_a_list() {
        let lines = doc_lines("aaaa bbbb - cccc 2. dddd", 9);
        assert!(lines.iter().skip(1).all(|l| !starts_block(l)), "{lines:?}");
    }
}
