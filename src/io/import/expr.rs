//! ARM template expressions (`"[concat(parameters('a'), '-x')]"`): a parser to a small
//! tree, and the evaluation of the function subset documented in docs/import.md.
//!
//! A value that cannot be known before deployment (`reference()`, `listKeys()`, a
//! parameter without a value, an unknown function) evaluates to `Err(why)`; inside a JSON
//! tree it becomes an *unknown marker* (`unknown(why)`), so the mapper can skip exactly the
//! values that depend on it and say why. Nothing here panics on any input.

use serde_json::{Map, Number, Value};

/// The key of the marker object that stands for a value unknown before deployment.
pub const UNKNOWN_KEY: &str = "\u{0}unknown";

/// The marker for a value that cannot be known: why, in a sentence.
pub fn unknown(why: &str) -> Value {
    let mut map = Map::new();
    map.insert(UNKNOWN_KEY.to_string(), Value::String(why.to_string()));
    Value::Object(map)
}

/// Why `value` is unknown, when it is a marker.
pub fn unknown_why(value: &Value) -> Option<&str> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get(UNKNOWN_KEY).and_then(Value::as_str),
        _ => None,
    }
}

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Lit(Value),
    Call(String, Vec<Expr>),
    Prop(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
}

/// Parses the inside of `[...]`.
pub fn parse(src: &str) -> Result<Expr, String> {
    let mut parser = Parser { chars: src.chars().collect(), pos: 0, depth: 0 };
    let expr = parser.expr()?;
    parser.ws();
    if parser.pos < parser.chars.len() {
        return Err(format!("unexpected '{}' in expression", parser.chars[parser.pos]));
    }
    Ok(expr)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }
    fn eat(&mut self, ch: char) -> bool {
        self.ws();
        if self.peek() == Some(ch) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }
    fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".into());
        }
        let result = self.expr_inner();
        self.depth -= 1;
        result
    }
    fn expr_inner(&mut self) -> Result<Expr, String> {
        self.ws();
        let mut expr = match self.peek() {
            None => return Err("expression ends too early".into()),
            Some('\'') => {
                self.pos += 1;
                let mut text = String::new();
                loop {
                    match self.peek() {
                        None => return Err("unterminated string in expression".into()),
                        Some('\'') if self.chars.get(self.pos + 1) == Some(&'\'') => {
                            text.push('\'');
                            self.pos += 2;
                        }
                        Some('\'') => {
                            self.pos += 1;
                            break;
                        }
                        Some(c) => {
                            text.push(c);
                            self.pos += 1;
                        }
                    }
                }
                Expr::Lit(Value::String(text))
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let start = self.pos;
                self.pos += 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                if let Ok(n) = text.parse::<i64>() {
                    Expr::Lit(Value::from(n))
                } else if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
                    Expr::Lit(Value::Number(n))
                } else {
                    return Err(format!("bad number '{text}' in expression"));
                }
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let mut name = self.ident();
                // A user-defined function's namespace (`ns.fn(`).
                while self.peek() == Some('.') && self.chars.get(self.pos + 1).is_some_and(|c| c.is_alphabetic()) {
                    let save = self.pos;
                    self.pos += 1;
                    let rest = self.ident();
                    self.ws();
                    if self.peek() == Some('(') {
                        name = format!("{name}.{rest}");
                    } else {
                        self.pos = save;
                        break;
                    }
                }
                if self.eat('(') {
                    let mut args = Vec::new();
                    if !self.eat(')') {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(')') {
                                break;
                            }
                            if !self.eat(',') {
                                return Err(format!("expected ',' or ')' in the arguments of {name}()"));
                            }
                        }
                    }
                    Expr::Call(name, args)
                } else {
                    match name.to_ascii_lowercase().as_str() {
                        "true" => Expr::Lit(Value::Bool(true)),
                        "false" => Expr::Lit(Value::Bool(false)),
                        "null" => Expr::Lit(Value::Null),
                        _ => return Err(format!("unexpected word '{name}' in expression")),
                    }
                }
            }
            Some(c) => return Err(format!("unexpected '{c}' in expression")),
        };
        loop {
            self.ws();
            match self.peek() {
                Some('.') => {
                    self.pos += 1;
                    // Bicep's null-safe access `.?` reads as a plain access here.
                    if self.peek() == Some('?') {
                        self.pos += 1;
                    }
                    self.ws();
                    let name = self.ident();
                    if name.is_empty() {
                        return Err("expected a property name after '.'".into());
                    }
                    expr = Expr::Prop(Box::new(expr), name);
                }
                Some('[') => {
                    self.pos += 1;
                    let index = self.expr()?;
                    if !self.eat(']') {
                        return Err("expected ']' in expression".into());
                    }
                    expr = Expr::Index(Box::new(expr), Box::new(index));
                }
                Some('?') if self.chars.get(self.pos + 1) == Some(&'[') => self.pos += 1,
                _ => break,
            }
        }
        Ok(expr)
    }
}

/// A string in ARM's text form (`string()` and `format()`): bools as .NET writes them.
pub fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Property `name` of an object: exact first, then without case (ARM's property names
/// are case-insensitive).
pub fn prop<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| map.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value))
}

/// A deterministic stand-in for `uniqueString`/`guid`: FNV-1a over the arguments.
pub fn stand_in_hash(parts: &[String]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    hash
}

pub fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

pub fn truthy(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        _ => None,
    }
}

/// ARM's `equals`: numbers by value, everything else structurally (strings with case).
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls_strings_numbers_and_accessors() {
        let expr = parse("concat(parameters('a')['b'].c, 'it''s', -3, true)").unwrap();
        let Expr::Call(name, args) = expr else { panic!("not a call") };
        assert_eq!(name, "concat");
        assert_eq!(args.len(), 4);
        assert_eq!(args[1], Expr::Lit(Value::String("it's".into())));
        assert_eq!(args[2], Expr::Lit(Value::from(-3)));
        assert!(matches!(&args[0], Expr::Prop(inner, c) if c == "c" && matches!(**inner, Expr::Index(..))));
    }

    #[test]
    fn bad_expressions_are_errors_not_panics() {
        for bad in ["", "concat(", "'open", "a b", "f(1,,2)", "x.", "[", "f(1]", ")"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "f(".repeat(500) + &")".repeat(500);
        assert!(parse(&deep).is_err());
    }
}
