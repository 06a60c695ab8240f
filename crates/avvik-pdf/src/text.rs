//! Text clean-up, measuring, line wrapping and truncation.

use crate::font::FaceMetrics;

/// Spaces a tab expands to.
const TAB: &str = "    ";

/// Tolerance when comparing widths, in points.
const EPS: f32 = 0.01;

/// Font-independent clean-up of caller text: `\r\n`, `\r`, U+2028 and U+2029 become
/// `\n`; a tab becomes four spaces; other control characters and invisible format
/// characters (soft hyphen, zero-width space and joiners, BOM, bidi marks) are dropped.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push_str(TAB),
            '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' => {}
            '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A plainer stand-in for a character a face may lack (typographic spaces and hyphens).
fn fallback(c: char) -> Option<char> {
    match c {
        // Figure space and narrow no-break space (digit grouping) must not break.
        '\u{2007}' | '\u{202F}' => Some('\u{00A0}'),
        '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' => Some(' '),
        '\u{2010}' | '\u{2011}' => Some('-'),
        _ => None,
    }
}

/// [`normalize`], then every character the face lacks becomes a plainer equivalent
/// (for typographic spaces and hyphens) or the face's replacement character.
pub(crate) fn clean(text: &str, face: &FaceMetrics) -> String {
    let replacement = face.replacement();
    normalize(text)
        .chars()
        .map(|c| {
            if c == '\n' || face.has(c) {
                c
            } else {
                fallback(c).filter(|&f| face.has(f)).unwrap_or(replacement)
            }
        })
        .collect()
}

/// [`clean`] for one-line contexts (running header and footer): line breaks become spaces.
pub(crate) fn clean_single_line(text: &str, face: &FaceMetrics) -> String {
    clean(text, face).replace('\n', " ")
}

/// Wraps `text` (already [`clean`]ed) to lines no wider than `width` at `size` points.
/// Every `\n` starts a new line; an empty logical line gives an empty line. Words wider
/// than `width` are broken between characters.
pub(crate) fn wrap(text: &str, face: &FaceMetrics, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for logical in text.split('\n') {
        wrap_line(logical, face, size, width, &mut lines);
    }
    lines
}

/// One break-free unit of a word, and whether a space run precedes it.
struct Segment<'a> {
    spaces: &'a str,
    text: &'a str,
}

/// Splits a logical line into segments: words separated by ASCII spaces, and words
/// further split after a hyphen, dash or slash, so that `e-post` or a URL can break there.
fn segments(line: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let space_start = i;
        while i < line.len() && bytes[i] == b' ' {
            i += 1;
        }
        let spaces = &line[space_start..i];
        let word_start = i;
        while i < line.len() && bytes[i] != b' ' {
            i += 1;
        }
        let word = &line[word_start..i];
        if word.is_empty() {
            // Trailing spaces: nothing to draw.
            break;
        }
        let mut first = true;
        let mut seg_start = 0;
        let mut prev: Option<char> = None;
        for (pos, c) in word.char_indices() {
            let end = pos + c.len_utf8();
            let breaks_after = matches!(c, '-' | '/' | '–' | '—')
                && prev.is_some_and(|p| !matches!(p, '-' | '/' | '–' | '—'))
                && end < word.len();
            if breaks_after {
                out.push(Segment {
                    spaces: if first { spaces } else { "" },
                    text: &word[seg_start..end],
                });
                first = false;
                seg_start = end;
            }
            prev = Some(c);
        }
        out.push(Segment {
            spaces: if first { spaces } else { "" },
            text: &word[seg_start..],
        });
    }
    out
}

fn wrap_line(line: &str, face: &FaceMetrics, size: f32, width: f32, lines: &mut Vec<String>) {
    let first_line_index = lines.len();
    let mut cur = String::new();
    let mut cur_w = 0.0f32;
    for seg in segments(line) {
        // Leading spaces are kept only at the start of the logical line (indentation).
        let at_line_start = cur.is_empty();
        let spaces = if at_line_start && lines.len() > first_line_index {
            ""
        } else {
            seg.spaces
        };
        let spaces_w = face.width(spaces, size);
        let seg_w = face.width(seg.text, size);
        if cur_w + spaces_w + seg_w <= width + EPS {
            cur.push_str(spaces);
            cur.push_str(seg.text);
            cur_w += spaces_w + seg_w;
            continue;
        }
        if !cur.trim_end_matches(' ').is_empty() {
            push_trimmed(lines, &mut cur);
            cur_w = 0.0;
        } else {
            cur.clear();
            cur_w = 0.0;
        }
        if seg_w <= width + EPS {
            cur.push_str(seg.text);
            cur_w = seg_w;
            continue;
        }
        // Wider than a whole line: break between characters.
        for c in seg.text.chars() {
            let cw = face.char_width(c, size);
            if cur_w + cw > width + EPS && !cur.is_empty() {
                push_trimmed(lines, &mut cur);
                cur_w = 0.0;
            }
            cur.push(c);
            cur_w += cw;
        }
    }
    push_trimmed(lines, &mut cur);
}

fn push_trimmed(lines: &mut Vec<String>, cur: &mut String) {
    let trimmed_len = cur.trim_end_matches(' ').len();
    cur.truncate(trimmed_len);
    lines.push(std::mem::take(cur));
}

/// Shortens `text` (one line) to fit `width`, ending it with "…" when anything was cut.
pub(crate) fn truncate(text: &str, face: &FaceMetrics, size: f32, width: f32) -> String {
    if face.width(text, size) <= width + EPS {
        return text.to_string();
    }
    let ellipsis = if face.has('…') { "…" } else { "..." };
    let budget = width - face.width(ellipsis, size);
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = face.char_width(c, size);
        if w + cw > budget + EPS {
            break;
        }
        out.push(c);
        w += cw;
    }
    let kept = out.trim_end_matches(' ').len();
    out.truncate(kept);
    if budget < 0.0 {
        return String::new();
    }
    out.push_str(ellipsis);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::FontKind;

    fn face() -> &'static FaceMetrics {
        FontKind::Regular.metrics().unwrap()
    }

    #[test]
    fn normalize_handles_line_ends_tabs_and_controls() {
        assert_eq!(normalize("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(normalize("a\tb"), "a    b");
        assert_eq!(normalize("a\u{0}b\u{7}c\u{1b}d\u{7f}e"), "abcde");
        assert_eq!(
            normalize("soft\u{00AD}hyphen\u{200B}zw\u{FEFF}"),
            "softhyphenzw"
        );
        assert_eq!(normalize("x\u{2028}y"), "x\ny");
        assert_eq!(normalize("Blåbær «§ 34» – €"), "Blåbær «§ 34» – €");
    }

    #[test]
    fn clean_replaces_characters_the_face_lacks() {
        let f = face();
        // CJK ideographs and Devanagari are not in DejaVu Sans.
        let cleaned = clean("a\u{4E2D}b\u{0915}c", f);
        let r = f.replacement();
        assert_eq!(cleaned, format!("a{r}b{r}c"));
        // Typographic spaces and hyphens never become replacement characters.
        for c in ['\u{2007}', '\u{202F}', '\u{2009}', '\u{2011}', '\u{00A0}'] {
            let cleaned = clean(&format!("1{c}200"), f);
            assert!(!cleaned.contains(r), "{c:?} became {cleaned:?}");
        }
        // Covered scripts and symbols pass through.
        let covered = "æøåÆØÅ αβγ Жж → ✓ «» – § €";
        assert_eq!(clean(covered, f), covered);
    }

    #[test]
    fn wrap_respects_width_and_keeps_all_words() {
        let f = face();
        let text =
            "Dette er en ganske lang setning som må brytes over flere linjer i et smalt felt.";
        let lines = wrap(text, f, 10.0, 100.0);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(f.width(l, 10.0) <= 100.0 + EPS, "{l:?} too wide");
            assert!(!l.ends_with(' ') && !l.starts_with(' '), "{l:?}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn wrap_keeps_explicit_and_empty_lines() {
        let f = face();
        assert_eq!(wrap("a\n\nb", f, 10.0, 200.0), vec!["a", "", "b"]);
        assert_eq!(wrap("", f, 10.0, 200.0), vec![""]);
        assert_eq!(wrap("  indent", f, 10.0, 200.0), vec!["  indent"]);
    }

    #[test]
    fn wrap_hard_breaks_words_wider_than_the_line() {
        let f = face();
        let hash = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
        let lines = wrap(&format!("kjede {hash}"), f, 10.0, 120.0);
        assert_eq!(lines[0], "kjede");
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(f.width(l, 10.0) <= 120.0 + EPS, "{l:?} too wide");
        }
        assert_eq!(lines[1..].concat(), hash);
    }

    #[test]
    fn wrap_breaks_after_hyphens_and_slashes() {
        let f = face();
        let url = "https://www.datatilsynet.no/regelverk-og-verktoy/skjema/avviksmelding";
        let lines = wrap(url, f, 10.0, 200.0);
        assert!(lines.len() >= 2);
        assert_eq!(lines.concat(), url);
        assert!(
            lines[0].ends_with('/') || lines[0].ends_with('-'),
            "{lines:?}"
        );
    }

    #[test]
    fn wrap_never_loops_on_tiny_widths() {
        let f = face();
        let lines = wrap("abc def", f, 10.0, 0.5);
        assert_eq!(lines.concat(), "abcdef");
    }

    #[test]
    fn truncate_adds_an_ellipsis_only_when_needed() {
        let f = face();
        assert_eq!(truncate("kort", f, 8.0, 100.0), "kort");
        let long = "Generert 22.11.2026 14:03 · kjede a1b2c3d4e5f60718293a4b5c6d7e8f90";
        let t = truncate(long, f, 8.0, 100.0);
        assert!(t.ends_with('…'), "{t}");
        assert!(f.width(&t, 8.0) <= 100.0 + EPS);
        assert!(long.starts_with(t.trim_end_matches('…')));
    }
}
