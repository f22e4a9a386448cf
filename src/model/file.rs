//! The design file: versioned JSON (`"format": "bastion-sim/1"`), documented in
//! `docs/design-format.md`.
//!
//! Loading never panics and never half-succeeds: it returns the design and its layout,
//! or every problem found, each naming the JSON path and what is wrong there.

use super::validate::{validate, ValidationError};
use super::value_de::ValueDe;
use super::{Design, Layout};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;

pub const FORMAT: &str = "bastion-sim/1";

/// What a design file holds: the design and, apart from it, the canvas layout.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DesignFile {
    pub design: Design,
    pub layout: Layout,
}

/// Why a file could not be loaded: one or more problems, each with its JSON path.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    pub problems: Vec<ValidationError>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (idx, problem) in self.problems.iter().enumerate() {
            if idx > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    fn one(path: &str, message: impl Into<String>) -> LoadError {
        LoadError { problems: vec![ValidationError::new(path, message)] }
    }
}

/// Parses and validates a design file.
pub fn load_design(text: &str) -> Result<DesignFile, LoadError> {
    let value: Value = serde_json::from_str(text).map_err(|err| {
        let what = match err.classify() {
            serde_json::error::Category::Eof => "the file ends too early (is it truncated?)",
            serde_json::error::Category::Syntax => "this is not valid JSON",
            _ => "this is not valid JSON",
        };
        LoadError::one("", format!("{what}: {err}"))
    })?;
    let Value::Object(mut object) = value else {
        return Err(LoadError::one("", "a design file is a JSON object with \"format\": \"bastion-sim/1\""));
    };
    // `shift_remove` keeps the file order of the other keys, so a fault is found in the order
    // the file gives (`remove` would move the last key into the freed place).
    match object.shift_remove("format") {
        Some(Value::String(format)) if format == FORMAT => (),
        Some(Value::String(format)) => {
            return Err(LoadError::one(
                "format",
                format!("unsupported format '{format}': this version reads \"{FORMAT}\""),
            ))
        }
        Some(_) => return Err(LoadError::one("format", format!("\"format\" must be the string \"{FORMAT}\""))),
        None => {
            return Err(LoadError::one(
                "format",
                format!(
                "missing \"format\": this does not look like a bastion-sim design (expected \"format\": \"{FORMAT}\")"
            ),
            ))
        }
    }
    let layout_value = object.shift_remove("layout").unwrap_or(Value::Object(Map::new()));
    let layout: Layout = decode(layout_value, "layout")?;
    let design: Design = decode(Value::Object(object), "")?;
    let problems = validate(&design);
    if !problems.is_empty() {
        return Err(LoadError { problems });
    }
    Ok(DesignFile { design, layout })
}

/// A design from its JSON value (the `design` part of a file, without `format` and `layout`),
/// unvalidated; `None` when the value is not a design. Through the model's own deserializer,
/// as `load_design` reads: `serde_json::from_value` would bring serde_json's struct-as-array
/// path into the page (≈ 78 KB of wasm).
pub fn design_from_value(value: &Value) -> Option<Design> {
    Design::deserialize(ValueDe(value)).ok()
}

/// Deserializes `value`, or names where it is wrong: the JSON path (`vnets[2].subnets[0]`)
/// and serde's sentence.
///
/// The path is found by isolating the fault (keep one key of an object, one half of an array,
/// and see whether the same error remains) rather than with a path-tracking deserializer:
/// that one doubles the deserialization code, the largest part of the page's download.
fn decode<T: serde::de::DeserializeOwned>(value: Value, prefix: &str) -> Result<T, LoadError> {
    let err = match T::deserialize(ValueDe(&value)) {
        Ok(it) => return Ok(it),
        Err(err) => err.to_string(),
    };
    let inner = locate::<T>(&value, &err);
    let path = match (prefix, inner.as_str()) {
        (p, "") => p.to_string(),
        ("", i) => i.to_string(),
        (p, i) => format!("{p}.{i}"),
    };
    Err(LoadError::one(&path, err))
}

/// One step of a JSON path.
enum Step {
    Key(String),
    Index(usize),
}

/// The path of the node whose content makes `T::deserialize` fail with `message`.
fn locate<T: serde::de::DeserializeOwned>(root: &Value, message: &str) -> String {
    let error_of = |candidate: &Value| T::deserialize(ValueDe(candidate)).err().map(|err| err.to_string());
    let same_error = |candidate: &Value| error_of(candidate).as_deref() == Some(message);
    // A missing field is the fault of the object that lacks it: removing one of its other
    // required keys only trades one missing field for another, which does not count.
    let missing = message.starts_with("missing field");
    // A working copy shrinks around the fault as it is found (each array on the path cut to
    // its faulty element), so each further test deserializes little.
    let mut work = root.clone();
    let mut steps: Vec<Step> = Vec::new();
    loop {
        let next = match node_at(&work, &steps) {
            Some(Value::Array(items)) if !items.is_empty() => {
                // Binary search for an element that alone keeps the error.
                let (mut lo, mut hi) = (0usize, items.len());
                let keep = |work: &Value, range: std::ops::Range<usize>| {
                    let mut trial = work.clone();
                    if let Some(Value::Array(list)) = node_at_mut(&mut trial, &steps) {
                        let kept: Vec<Value> = list[range].to_vec();
                        *list = kept;
                    }
                    trial
                };
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2;
                    if same_error(&keep(&work, lo..mid)) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                let trial = keep(&work, lo..lo + 1);
                if same_error(&trial) {
                    work = trial;
                    Some(Step::Index(lo))
                } else {
                    None
                }
            }
            Some(Value::Object(map)) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let removed = keys.iter().find(|key| {
                    let mut trial = work.clone();
                    if let Some(Value::Object(fields)) = node_at_mut(&mut trial, &steps) {
                        fields.shift_remove(*key);
                    }
                    match error_of(&trial) {
                        Some(err) if err == message => false,
                        Some(err) if missing && err == format!("missing field `{key}`") => false,
                        _ => true,
                    }
                });
                match removed {
                    Some(key) => Some(Step::Key(key.clone())),
                    // Two keys fault with the same sentence (removing either leaves the
                    // other's): fields are read in file order and the first fault stops the
                    // read, so the shortest run of leading keys that keeps the error ends at
                    // the first faulty key. The later keys are cut from the working copy, so
                    // the search below that key is not fooled by them either.
                    None if !missing => (1..=keys.len()).find_map(|len| {
                        let mut trial = work.clone();
                        if let Some(Value::Object(fields)) = node_at_mut(&mut trial, &steps) {
                            fields.retain(|key, _| keys[..len].contains(key));
                        }
                        same_error(&trial).then(|| {
                            work = trial;
                            Step::Key(keys[len - 1].clone())
                        })
                    }),
                    None => None,
                }
            }
            _ => None,
        };
        match next {
            Some(step) => steps.push(step),
            None => break,
        }
    }
    let mut path = String::new();
    for step in &steps {
        match step {
            Step::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Step::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

/// The node a path leads to in the working copy, where every array on the path was cut to
/// its one faulty element (so an index step is element 0 there).
fn node_at<'a>(root: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    let mut node = root;
    for step in steps {
        node = match step {
            Step::Key(key) => node.get(key)?,
            Step::Index(_) => node.get(0)?,
        };
    }
    Some(node)
}

fn node_at_mut<'a>(root: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    let mut node = root;
    for step in steps {
        node = match step {
            Step::Key(key) => node.get_mut(key)?,
            Step::Index(_) => node.get_mut(0)?,
        };
    }
    Some(node)
}

/// Writes a design file (pretty JSON, `format` first, `layout` last).
pub fn save_design(design: &Design, layout: &Layout) -> String {
    let mut object = Map::new();
    object.insert("format".to_string(), Value::String(FORMAT.to_string()));
    if let Ok(Value::Object(fields)) = serde_json::to_value(design) {
        object.extend(fields);
    }
    if !layout.positions.is_empty() {
        if let Ok(value) = serde_json::to_value(layout) {
            object.insert("layout".to_string(), value);
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(object)).unwrap_or_default();
    text.push('\n');
    text
}
