//! The lenient reader: real ARM templates and parameter files are not strict JSON. This
//! turns their text into strict JSON for serde_json, string-aware: `//` and `/* */`
//! comments outside strings are removed, raw control characters inside string literals
//! (multi-line ARM expressions) are escaped, and trailing commas are dropped.

/// The text as strict JSON (it may still be invalid JSON for other reasons: serde_json
/// reports those).
pub fn to_strict_json(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    // Whitespace and comments seen after a comma outside strings, held back until the next
    // significant character says whether the comma was a trailing one.
    let mut pending_comma = false;
    let mut held = String::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => {
                flush(&mut out, &mut pending_comma, &mut held);
                out.push('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                        out.push(c);
                        continue;
                    }
                    match c {
                        '\\' => {
                            escaped = true;
                            out.push(c);
                        }
                        '"' => {
                            out.push(c);
                            break;
                        }
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                        c => out.push(c),
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                // A line comment: drop it, keep the line break.
                for c in chars.by_ref() {
                    if c == '\n' {
                        push_space(&mut out, pending_comma, &mut held, '\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for c in chars.by_ref() {
                    if star && c == '/' {
                        break;
                    }
                    star = c == '*';
                }
                push_space(&mut out, pending_comma, &mut held, ' ');
            }
            ',' => {
                flush(&mut out, &mut pending_comma, &mut held);
                pending_comma = true;
            }
            '}' | ']' => {
                // A comma right before a closing bracket is a trailing comma: dropped.
                pending_comma = false;
                out.push_str(&held);
                held.clear();
                out.push(ch);
            }
            c if c.is_whitespace() => push_space(&mut out, pending_comma, &mut held, c),
            c => {
                flush(&mut out, &mut pending_comma, &mut held);
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut pending_comma, &mut held);
    out
}

fn push_space(out: &mut String, pending_comma: bool, held: &mut String, c: char) {
    if pending_comma {
        held.push(c);
    } else {
        out.push(c);
    }
}

fn flush(out: &mut String, pending_comma: &mut bool, held: &mut String) {
    if *pending_comma {
        out.push(',');
        *pending_comma = false;
    }
    out.push_str(held);
    held.clear();
}

#[cfg(test)]
mod tests {
    use super::to_strict_json;
    use serde_json::{json, Value};

    fn read(text: &str) -> Value {
        serde_json::from_str(&to_strict_json(text)).unwrap()
    }

    #[test]
    fn comments_outside_strings_are_removed() {
        let text = "{ // a comment\n \"a\": 1, /* block\n comment */ \"b\": \"x // not a comment /* nor this */\" }";
        assert_eq!(read(text), json!({ "a": 1, "b": "x // not a comment /* nor this */" }));
    }

    #[test]
    fn raw_newlines_in_strings_are_escaped() {
        let text = "{ \"e\": \"[if(\n   true(),\r\n\t1, 2)]\" }";
        assert_eq!(read(text), json!({ "e": "[if(\n   true(),\r\n\t1, 2)]" }));
    }

    #[test]
    fn escaped_quotes_and_backslashes_stay_in_the_string() {
        let text = r#"{ "a": "say \"hi\" // still string", "b": "c:\\" // gone
        }"#;
        assert_eq!(read(text), json!({ "a": "say \"hi\" // still string", "b": "c:\\" }));
    }

    #[test]
    fn trailing_commas_are_dropped() {
        assert_eq!(read("{ \"a\": [1, 2, ], \"b\": 3, // x\n }"), json!({ "a": [1, 2], "b": 3 }));
    }

    #[test]
    fn a_byte_order_mark_is_ignored_and_strict_json_is_unchanged() {
        assert_eq!(read("\u{feff}{\"a\": 1}"), json!({ "a": 1 }));
        let strict = "{\n  \"a\": [1, {\"b\": null}],\n  \"c\": \"d/e\"\n}";
        assert_eq!(to_strict_json(strict), strict);
    }
}
