//! Import: real Azure JSON into a design. Reads a bastion-sim design file, an ARM
//! deployment template (evaluated with its parameters' defaults or a parameters file), or
//! live resource JSON (REST / Resource Graph shape), and maps the resources the model
//! holds; everything else is listed in `skipped` with the reason. Pure: no IO, no web
//! types. docs/import.md describes what is read and what is not.

mod arm;
mod expr;
mod lenient;
mod map;

use crate::model::{load_design, DesignFile, LoadError};
use serde_json::Value;
use std::fmt;

/// Where a resource lives when the input does not say (an ARM template's
/// `resourceGroup()` and `subscription()`, a live object without an id).
pub const PLACEHOLDER_SUBSCRIPTION: &str = "imported-subscription";
pub const PLACEHOLDER_RESOURCE_GROUP: &str = "imported-rg";
/// `resourceGroup().location` and resources without a location.
pub const PLACEHOLDER_REGION: &str = "eastus";
pub const PLACEHOLDER_TENANT: &str = "contoso.onmicrosoft.com";

/// What kind of input was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Design,
    ArmTemplate,
    LiveJson,
}

impl SourceKind {
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Design => "design file",
            SourceKind::ArmTemplate => "ARM template",
            SourceKind::LiveJson => "live resource JSON",
        }
    }
}

/// One thing of the input that is not in the imported design, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Where in the input: `resources[3]`, `resources[2].properties.subnets[0]`, or an id.
    pub path: String,
    /// What it is: `Microsoft.Network/azureFirewalls 'fw-hub'`.
    pub what: String,
    pub why: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.path, self.what, self.why)
    }
}

/// The imported design, the kind of input, and what was left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub file: DesignFile,
    pub source: SourceKind,
    pub skipped: Vec<Skipped>,
}

impl Imported {
    /// True when the input gave nothing the canvas can show (no VNet, Bastion, VM, hub, site
    /// or gateway): an ARM template whose resources are all behind false conditions, say.
    /// Not an error (the file was read), but the page keeps the current design rather than
    /// replace it with an empty one.
    pub fn shows_nothing(&self) -> bool {
        let d = &self.file.design;
        d.vnets.is_empty()
            && d.bastions.is_empty()
            && d.vms.is_empty()
            && d.virtual_hubs.is_empty()
            && d.onprem_sites.is_empty()
            && d.gateways.is_empty()
    }
}

/// Why an input could not be imported at all.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    /// A bastion-sim design file that does not load (the problems of `load_design`).
    Design(LoadError),
    /// Not JSON, or JSON of no kind the importer reads.
    Unusable(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Design(err) => write!(f, "{err}"),
            ImportError::Unusable(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ImportError {}

/// One deployed (or live) resource, evaluated: what the mapper reads.
#[derive(Clone, Debug)]
pub(crate) struct Raw {
    /// Where it came from in the input.
    pub path: String,
    /// Full type: `Microsoft.Network/virtualNetworks/subnets`.
    pub rtype: String,
    /// One name per type segment after the namespace: `["vnet-hub", "default"]`.
    pub names: Vec<String>,
    pub subscription: String,
    pub resource_group: String,
    /// `properties`, `sku`, `location`, `zones`, `kind`… with expressions evaluated.
    pub body: Value,
    /// Values that could not be evaluated: (path in the input, why).
    pub unknowns: Vec<(String, String)>,
}

/// Reads any supported input: a design file, an ARM template, or live resource JSON.
pub fn import_text(text: &str) -> Result<Imported, ImportError> {
    let value = read_json(text)?;
    match kind_of(&value)? {
        SourceKind::Design => {
            let file = load_design(text).map_err(ImportError::Design)?;
            Ok(Imported { file, source: SourceKind::Design, skipped: Vec::new() })
        }
        SourceKind::ArmTemplate => Ok(from_template(&value, None)),
        SourceKind::LiveJson => Ok(from_live(&value)),
    }
}

/// Reads an ARM template with an optional parameters file (its `parameters.X.value`s
/// replace the defaults).
pub fn import_template(template: &str, parameters: Option<&str>) -> Result<Imported, ImportError> {
    let value = read_json(template)?;
    if kind_of(&value)? != SourceKind::ArmTemplate {
        if parameters.is_some() {
            return Err(ImportError::Unusable(
                "a parameters file applies to an ARM deployment template only, and this is not one".into(),
            ));
        }
        return import_text(template);
    }
    let params = match parameters {
        Some(text) => {
            let params = read_json(text)?;
            if field(&params, "parameters").and_then(Value::as_object).is_none() {
                return Err(ImportError::Unusable(
                    "the parameters file has no \"parameters\" object (expected an ARM deploymentParameters file)"
                        .into(),
                ));
            }
            Some(params)
        }
        None => None,
    };
    Ok(from_template(&value, params.as_ref()))
}

fn read_json(text: &str) -> Result<Value, ImportError> {
    serde_json::from_str(&lenient::to_strict_json(text)).map_err(|err| {
        let what = match err.classify() {
            serde_json::error::Category::Eof => "the file ends too early (is it truncated?)",
            _ => "this is not valid JSON",
        };
        ImportError::Unusable(format!("{what}: {err}"))
    })
}

/// A template keyword of `value`, without case (ARM reads `contentversion` too).
fn field<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value.as_object().and_then(|map| expr::prop(map, name))
}

fn schema_has(value: &Value, needle: &str) -> bool {
    value.get("$schema").and_then(Value::as_str).is_some_and(|s| s.to_ascii_lowercase().contains(needle))
}

fn kind_of(value: &Value) -> Result<SourceKind, ImportError> {
    if value.get("format").is_some() {
        return Ok(SourceKind::Design);
    }
    if schema_has(value, "deploymentparameters") {
        return Err(ImportError::Unusable(
            "this is an ARM parameters file: import its template, giving this file as its parameters".into(),
        ));
    }
    if schema_has(value, "deploymenttemplate")
        || (field(value, "resources").is_some() && field(value, "contentVersion").is_some())
    {
        return Ok(SourceKind::ArmTemplate);
    }
    if !live_resources(value).is_empty() {
        return Ok(SourceKind::LiveJson);
    }
    Err(ImportError::Unusable(
        "this is neither a bastion-sim design (\"format\": \"bastion-sim/1\"), an ARM deployment template \
         (\"$schema\": …deploymentTemplate.json) nor Azure resource JSON (objects with \"type\"/\"id\" and \"properties\")"
            .into(),
    ))
}

/// The resource objects of live JSON: one resource, `{ "value": [...] }`, an array, a
/// Resource Graph answer `{ "data": [...] }`, or a REST spec example (`responses."200".body`).
fn live_resources(value: &Value) -> Vec<&Value> {
    if let Some(body) =
        value.get("responses").and_then(|r| r.get("200").or_else(|| r.get("201"))).and_then(|r| r.get("body"))
    {
        return live_resources(body);
    }
    let list = match value {
        Value::Array(items) => Some(items),
        Value::Object(map) => map.get("value").or_else(|| map.get("data")).and_then(Value::as_array),
        _ => None,
    };
    match list {
        Some(items) => items.iter().filter(|it| is_resource(it)).collect(),
        None if is_resource(value) => vec![value],
        None => Vec::new(),
    }
}

fn is_resource(value: &Value) -> bool {
    let has_type = value.get("type").and_then(Value::as_str).is_some_and(|t| t.contains('/'));
    let has_id =
        value.get("id").and_then(Value::as_str).is_some_and(|id| id.to_ascii_lowercase().contains("/providers/"));
    (has_type || has_id) && value.is_object()
}

fn from_template(template: &Value, parameters: Option<&Value>) -> Imported {
    let mut out = arm::Output::default();
    arm::evaluate_template(template, parameters, &mut out);
    let (file, skipped) = map::to_design(out.resources, out.skipped, out.principals, SourceKind::ArmTemplate);
    Imported { file, source: SourceKind::ArmTemplate, skipped }
}

fn from_live(value: &Value) -> Imported {
    let mut raws = Vec::new();
    let mut skipped = Vec::new();
    for (i, item) in live_resources(value).into_iter().enumerate() {
        match live_raw(item, i) {
            Ok(raw) => raws.push(raw),
            Err(why) => skipped.push(Skipped { path: format!("[{i}]"), what: "resource".into(), why }),
        }
    }
    let (file, mut more) = map::to_design(raws, Vec::new(), Vec::new(), SourceKind::LiveJson);
    skipped.append(&mut more);
    Imported { file, source: SourceKind::LiveJson, skipped }
}

/// A live resource as a `Raw`: type and names from its id (what other resources link
/// to), placement from the id, `properties` as they are (or the object itself, in the
/// flattened `az … show` shape).
fn live_raw(item: &Value, index: usize) -> Result<Raw, String> {
    let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
    let parsed = map::ArmId::parse(id);
    let (rtype, names) = match (&parsed, item.get("type").and_then(Value::as_str)) {
        (Some(p), _) if !p.names.is_empty() => (p.rtype.clone(), p.names.clone()),
        (_, Some(ty)) => {
            let name = item.get("name").and_then(Value::as_str).ok_or("a resource without a name")?;
            (ty.to_string(), name.split('/').map(str::to_string).collect())
        }
        _ => return Err("a resource without a usable id or type".into()),
    };
    let subscription = parsed
        .as_ref()
        .and_then(|p| p.subscription.clone())
        .or_else(|| item.get("subscriptionId").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| PLACEHOLDER_SUBSCRIPTION.to_string());
    let resource_group = parsed
        .as_ref()
        .and_then(|p| p.resource_group.clone())
        .or_else(|| item.get("resourceGroup").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| PLACEHOLDER_RESOURCE_GROUP.to_string());
    let mut body = serde_json::Map::new();
    for key in ["location", "sku", "kind", "zones"] {
        if let Some(value) = item.get(key) {
            body.insert(key.to_string(), value.clone());
        }
    }
    let properties = item.get("properties").cloned().unwrap_or_else(|| item.clone());
    body.insert("properties".to_string(), properties);
    let path = if id.is_empty() { format!("[{index}]") } else { id.to_string() };
    Ok(Raw { path, rtype, names, subscription, resource_group, body: Value::Object(body), unknowns: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusable_inputs_say_why() {
        for (text, needle) in [
            ("", "ends too early"),
            ("{ not json", "not valid JSON"),
            ("[1, 2]", "neither"),
            ("{\"a\": 1}", "neither"),
            ("{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\", \"parameters\": {}}", "parameters file"),
        ] {
            let err = import_text(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn a_design_file_loads_as_it_does_today() {
        let text = crate::model::save_design(
            &(crate::scenarios::by_name("hub-spoke").unwrap().build)(),
            &crate::model::Layout::default(),
        );
        let imported = import_text(&text).unwrap();
        assert_eq!(imported.source, SourceKind::Design);
        assert_eq!(imported.file, load_design(&text).unwrap());
        let broken = text.replacen("\"format\"", "\"formet\"", 1);
        assert!(import_text("{\"format\": \"bastion-sim/1\", \"vnets\": 3}").is_err());
        assert!(import_text(&broken).is_err());
    }
}
