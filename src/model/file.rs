//! The design file: versioned JSON (`"format": "bastion-sim/1"`), documented in
//! `docs/design-format.md`.
//!
//! Loading never panics and never half-succeeds: it returns the design and its layout,
//! or every problem found, each naming the JSON path and what is wrong there.

use super::validate::{validate, ValidationError};
use super::{Design, Layout};
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
    match object.remove("format") {
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
    let layout_value = object.remove("layout").unwrap_or(Value::Object(Map::new()));
    let layout: Layout = decode(layout_value, "layout")?;
    let design: Design = decode(Value::Object(object), "")?;
    let problems = validate(&design);
    if !problems.is_empty() {
        return Err(LoadError { problems });
    }
    Ok(DesignFile { design, layout })
}

fn decode<T: serde::de::DeserializeOwned>(value: Value, prefix: &str) -> Result<T, LoadError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let inner = err.path().to_string();
        let path = match (prefix, inner.as_str()) {
            (p, ".") => p.to_string(),
            ("", i) => i.to_string(),
            (p, i) => format!("{p}.{i}"),
        };
        LoadError::one(&path, err.into_inner().to_string())
    })
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
