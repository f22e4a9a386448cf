//! ARM template evaluation: parameters (defaults, or a parameters file), variables,
//! expressions, conditions, resource and property copy loops, child resources, symbolic
//! resources (languageVersion 2.0) and nested deployments with inline templates and their
//! outputs (Bicep modules). The result is a flat list of deployed resources (`Raw`) in
//! declaration order with their properties evaluated, for the mapper; what cannot be
//! evaluated is recorded, never invented.

use super::expr::{self, as_int, equal, prop, stand_in_hash, text_of, truthy, unknown, unknown_why, Expr};
use super::{
    Raw, Skipped, PLACEHOLDER_REGION, PLACEHOLDER_RESOURCE_GROUP, PLACEHOLDER_SUBSCRIPTION, PLACEHOLDER_TENANT,
};
use serde_json::{Map, Value};

/// Evaluation budget: mutated or hostile input must end quickly.
const MAX_STEPS: usize = 3_000_000;
const MAX_COPIES: i64 = 800;
const MAX_DEPTH: usize = 16;

/// What the evaluation produced: deployed resources and what was left out.
#[derive(Default)]
pub struct Output {
    pub resources: Vec<Raw>,
    pub skipped: Vec<Skipped>,
    /// Principals a parameter's metadata describes (`principalType`, and `principalName`
    /// for the one without a value that bastion-sim's export declares): (the value the
    /// parameter stands for, its type), for the mapper to tell users from groups.
    pub principals: Vec<(String, String)>,
    /// Each resource's declaration position (indices down the templates and copy loops),
    /// parallel to `resources`: a resource evaluated early because another referred to it
    /// still comes in declaration order (dynamic addresses, first-name-wins depend on it).
    order: Vec<Vec<u32>>,
    /// Evaluated nested deployments, their `outputs` in `properties`: what `reference()`
    /// of a deployment (a Bicep module) reads.
    deployments: Vec<Raw>,
    steps: usize,
}

enum Slot {
    Raw(Value),
    /// A variable `copy` loop: `{name, count, input}`.
    Copy(Value),
    Busy,
    Done(Value),
}

/// One template's context: its parameters and variables, and where it deploys.
struct Scope {
    params: Vec<(String, Slot)>,
    vars: Vec<(String, Slot)>,
    /// User-defined functions: `namespace.member`, its parameter names, its output value.
    functions: Vec<(String, Vec<String>, Value)>,
    subscription: String,
    resource_group: String,
    location: String,
    deployment: String,
    /// Where a subscription-, management-group- or tenant-level template deploys (its
    /// `$schema` says): the scope of a role assignment that names none.
    target: Option<String>,
}

struct Loop {
    name: String,
    index: i64,
    resource: bool,
}

/// A top-level resource of the template being evaluated.
struct Pending {
    item: Value,
    path: String,
    /// Its symbolic name (languageVersion 2.0).
    symbol: Option<String>,
    state: State,
    /// Its name is being evaluated to see whether a `reference()` means it.
    naming: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Todo,
    Busy,
    Done,
}

pub struct Eval<'o> {
    scope: Scope,
    loops: Vec<Loop>,
    lambdas: Vec<(String, Value)>,
    /// How many enclosing outer-scope nested templates (each strips one `[` of `[[`).
    unescape: usize,
    depth: usize,
    out: &'o mut Output,
    /// The template's top-level resources: a `reference()` to one not yet evaluated
    /// evaluates it first, as ARM orders a deployment by what it references (Bicep
    /// modules read each other's outputs in whatever order they are declared).
    pending: Vec<Pending>,
    /// The path of the template's `resources` (symbolic names resolve below it) and its
    /// declaration position.
    template_path: String,
    template_at: Vec<u32>,
    /// The declaration position of what is being evaluated.
    at: Vec<u32>,
}

/// Evaluates a whole template (with an optional parameters file) into `out`.
pub fn evaluate_template(template: &Value, parameters: Option<&Value>, out: &mut Output) {
    let mut given = Map::new();
    if let Some(file) = parameters {
        let declared = prop_of(template, "parameters").and_then(Value::as_object);
        if let Some(values) = prop_of(file, "parameters").and_then(Value::as_object) {
            for (name, entry) in values {
                if declared.is_none_or(|d| prop(d, name).is_none()) {
                    out.skipped.push(Skipped {
                        path: format!("parameters file: parameters.{name}"),
                        what: format!("parameter '{name}'"),
                        why:
                            "the template declares no such parameter (the two files disagree), so its value is not used"
                                .into(),
                    });
                    continue;
                }
                let value = match prop_of(entry, "value") {
                    Some(value) => value.clone(),
                    None if prop_of(entry, "reference").is_some() => {
                        unknown(&format!("parameter '{name}' is a Key Vault reference; secrets are not read"))
                    }
                    None => continue,
                };
                given.insert(name.clone(), value);
            }
        }
    }
    let scope = Scope::new(
        template,
        given,
        PLACEHOLDER_SUBSCRIPTION,
        PLACEHOLDER_RESOURCE_GROUP,
        PLACEHOLDER_REGION,
        "imported-deployment",
        out,
    );
    let mut eval = Eval::new(scope, out, "resources", Vec::new());
    if let Some(resources) = prop_of(template, "resources") {
        eval.resources(resources, "resources", None);
    }
    let order = std::mem::take(&mut out.order);
    let mut placed: Vec<(Vec<u32>, Raw)> = order.into_iter().zip(out.resources.drain(..)).collect();
    crate::util::sort_by(&mut placed, |a, b| a.0.cmp(&b.0));
    out.resources = placed.into_iter().map(|(_, raw)| raw).collect();
}

impl Scope {
    fn new(
        template: &Value,
        given: Map<String, Value>,
        subscription: &str,
        resource_group: &str,
        location: &str,
        deployment: &str,
        out: &mut Output,
    ) -> Scope {
        let mut params = Vec::new();
        if let Some(declared) = prop_of(template, "parameters").and_then(Value::as_object) {
            for (name, decl) in declared {
                let principal = principal_of(decl);
                // A null value (a Bicep module given `null`) takes the parameter's default.
                let slot = match prop(&given, name).filter(|v| !v.is_null() || prop_of(decl, "defaultValue").is_none())
                {
                    Some(value) => {
                        if let (Some((ty, _)), Value::String(id)) = (&principal, value) {
                            out.principals.push((id.clone(), ty.clone()));
                        }
                        Slot::Done(value.clone())
                    }
                    None => match prop_of(decl, "defaultValue") {
                        Some(default) => {
                            if let (Some((ty, _)), Some(id)) = (&principal, default.as_str()) {
                                out.principals.push((id.to_string(), ty.clone()));
                            }
                            Slot::Raw(default.clone())
                        }
                        None if nullable(template, decl) => Slot::Done(Value::Null),
                        // bastion-sim's export: a principal's object id, unknown here, and
                        // the name and type of the principal it stands for.
                        None if principal.as_ref().is_some_and(|p| p.1.is_some()) => {
                            let (ty, principal_name) = principal.unwrap_or_default();
                            let principal_name = principal_name.unwrap_or_default();
                            out.skipped.push(Skipped {
                                path: format!("parameters.{name}"),
                                what: format!("parameter '{name}'"),
                                why: format!(
                                    "it has no value (the object id of a principal): the {} '{principal_name}' its metadata names stands in",
                                    ty.to_lowercase()
                                ),
                            });
                            out.principals.push((principal_name.clone(), ty));
                            Slot::Done(Value::String(principal_name))
                        }
                        None => match stand_in_parameter(name, decl) {
                            Some((value, allowed)) => {
                                let which = if allowed { "its first allowed value, " } else { "" };
                                out.skipped.push(Skipped {
                                    path: format!("parameters.{name}"),
                                    what: format!("parameter '{name}'"),
                                    why: format!(
                                        "it has no value (no defaultValue, no parameters file value): the stand-in {which}{value} is used"
                                    ),
                                });
                                Slot::Done(value)
                            }
                            None => Slot::Done(unknown(&format!(
                                "parameter '{name}' has no value (no defaultValue, and no parameters file gives one)"
                            ))),
                        },
                    },
                };
                params.push((name.clone(), slot));
            }
        }
        let mut vars = Vec::new();
        if let Some(declared) = prop_of(template, "variables").and_then(Value::as_object) {
            for (name, value) in declared {
                if name.eq_ignore_ascii_case("copy") {
                    if let Some(loops) = value.as_array() {
                        for spec in loops {
                            if let Some(var) = prop_of(spec, "name").and_then(Value::as_str) {
                                vars.push((var.to_string(), Slot::Copy(spec.clone())));
                            }
                        }
                        continue;
                    }
                }
                vars.push((name.clone(), Slot::Raw(value.clone())));
            }
        }
        let mut functions = Vec::new();
        for group in prop_of(template, "functions").and_then(Value::as_array).into_iter().flatten() {
            let namespace = prop_of(group, "namespace").and_then(Value::as_str).unwrap_or_default();
            for (member, f) in prop_of(group, "members").and_then(Value::as_object).into_iter().flatten() {
                let names = prop_of(f, "parameters").and_then(Value::as_array).into_iter().flatten();
                let names = names.filter_map(|p| prop_of(p, "name").and_then(Value::as_str).map(str::to_string));
                let output = prop_of(f, "output").and_then(|o| prop_of(o, "value")).cloned().unwrap_or(Value::Null);
                functions.push((format!("{namespace}.{member}"), names.collect(), output));
            }
        }
        Scope {
            params,
            vars,
            functions,
            subscription: subscription.to_string(),
            resource_group: resource_group.to_string(),
            location: location.to_string(),
            deployment: deployment.to_string(),
            target: target_scope(template, subscription),
        }
    }
}

/// Property `name` of a JSON value that may be an object (keys without case).
fn prop_of<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value.as_object().and_then(|map| prop(map, name))
}

/// The scope a template's `$schema` deploys to, when it is not a resource group.
fn target_scope(template: &Value, subscription: &str) -> Option<String> {
    let schema = prop_of(template, "$schema").and_then(Value::as_str)?.to_ascii_lowercase();
    if schema.contains("subscriptiondeploymenttemplate") {
        Some(format!("/subscriptions/{subscription}"))
    } else if schema.contains("managementgroupdeploymenttemplate") {
        Some("/providers/Microsoft.Management/managementGroups/imported-management-group".into())
    } else if schema.contains("tenantdeploymenttemplate") {
        Some("/".into())
    } else {
        None
    }
}

/// The `principalType` (and `principalName`) of a parameter's metadata.
fn principal_of(decl: &Value) -> Option<(String, Option<String>)> {
    let metadata = prop_of(decl, "metadata")?;
    let ty = prop_of(metadata, "principalType").and_then(Value::as_str)?;
    let name = prop_of(metadata, "principalName").and_then(Value::as_str).filter(|n| !n.is_empty());
    Some((ty.to_string(), name.map(str::to_string)))
}

/// A `nullable` parameter (languageVersion 2.0), directly or through the `$ref` of a
/// user-defined type: without a value, ARM gives it null.
fn nullable(template: &Value, decl: &Value) -> bool {
    if prop_of(decl, "nullable").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    let target = prop_of(decl, "$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/definitions/"));
    let definition = target.and_then(|name| prop_of(template, "definitions").and_then(|d| prop_of(d, name)));
    definition.is_some_and(|d| prop_of(d, "nullable").and_then(Value::as_bool) == Some(true))
}

/// A stand-in for a plain `string` parameter without a value (a name, a prefix): the
/// parameter's own name, or the placeholder region for a location. Secure strings and
/// other types stay unknown.
fn stand_in_parameter(name: &str, decl: &Value) -> Option<(Value, bool)> {
    if let Some(first) = prop_of(decl, "allowedValues").and_then(Value::as_array).and_then(|a| a.first()) {
        return Some((first.clone(), true));
    }
    let ty = prop_of(decl, "type").and_then(Value::as_str)?;
    if !ty.eq_ignore_ascii_case("string") {
        return None;
    }
    if name.to_ascii_lowercase().contains("location") {
        return Some((Value::String(PLACEHOLDER_REGION.to_string()), false));
    }
    Some((Value::String(name.to_string()), false))
}

fn find(slots: &[(String, Slot)], name: &str) -> Option<usize> {
    slots.iter().position(|(n, _)| n == name).or_else(|| slots.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)))
}

/// Whether an expression reads into the result of `reference()`.
fn from_reference(expr: &Expr) -> bool {
    match expr {
        Expr::Call(name, _) => name.eq_ignore_ascii_case("reference"),
        Expr::Prop(base, _) | Expr::Index(base, _) => from_reference(base),
        Expr::Lit(_) => false,
    }
}

/// Reading past what a `reference()` result holds: a value Azure computes at deployment.
fn missing(base: &Expr, why: String) -> String {
    if from_reference(base) {
        "reference() can only be known at deployment time".into()
    } else {
        why
    }
}

fn marker_ok(value: Value) -> Result<Value, String> {
    match unknown_why(&value) {
        Some(why) => Err(why.to_string()),
        None => Ok(value),
    }
}

/// Strips one `[` from `[[` strings, `levels` times (what each enclosing outer-scope
/// evaluation does to a nested template).
fn unescape(value: &Value, levels: usize) -> Value {
    if levels == 0 {
        return value.clone();
    }
    match value {
        Value::String(s) => {
            let mut s = s.as_str();
            for _ in 0..levels {
                if s.starts_with("[[") {
                    s = &s[1..];
                }
            }
            Value::String(s.to_string())
        }
        Value::Array(items) => Value::Array(items.iter().map(|it| unescape(it, levels)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), unescape(v, levels))).collect()),
        other => other.clone(),
    }
}

/// Records every unknown marker inside `value` (after a successful evaluation that
/// carried one along, e.g. an object variable with one unknown field).
fn collect_markers(value: &Value, path: &str, unknowns: &mut Vec<(String, String)>) {
    if let Some(why) = unknown_why(value) {
        unknowns.push((path.to_string(), why.to_string()));
        return;
    }
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_markers(item, &format!("{path}[{i}]"), unknowns);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_markers(v, &format!("{path}.{k}"), unknowns);
            }
        }
        _ => (),
    }
}

fn what_of(obj: &Map<String, Value>) -> String {
    let ty = prop(obj, "type").and_then(Value::as_str).unwrap_or("resource");
    match prop(obj, "name").and_then(Value::as_str) {
        Some(name) => format!("{ty} '{name}'"),
        None => ty.to_string(),
    }
}

type R = Result<Value, String>;

fn string_arg(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(_) | Value::Bool(_) => Ok(text_of(value)),
        Value::Null => Ok(String::new()),
        _ => Err("expected a string argument".into()),
    }
}

fn int_arg(value: &Value) -> Result<i64, String> {
    as_int(value).ok_or_else(|| "expected an integer argument".to_string())
}

fn arity(name: &str, args: &[Value], min: usize) -> Result<(), String> {
    if args.len() < min {
        Err(format!("{name}() needs {min} argument(s)"))
    } else {
        Ok(())
    }
}

fn is_namespace(segment: &str) -> bool {
    segment.contains('.') && !segment.starts_with('/')
}

/// `sym` or a loop copy's `sym[2]`.
fn split_symbol(target: &str) -> (&str, Option<&str>) {
    match target.strip_suffix(']').and_then(|t| t.split_once('[')) {
        Some((symbol, index)) => (symbol, Some(index)),
        None => (target, None),
    }
}

/// What `reference(…, 'Full')` returns of an evaluated resource: its body with the `id`,
/// `name` and `type` Azure adds, and the ids of the inline children whose ids are their
/// names under the parent's (a VNet's `subnets[0].id`).
fn full_body(raw: &Raw) -> Value {
    let id = format!(
        "/subscriptions/{}/resourceGroups/{}/{}",
        raw.subscription,
        raw.resource_group,
        provider_path(&raw.rtype, &raw.names)
    );
    let mut body = raw.body.clone();
    if let Value::Object(map) = &mut body {
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            for (key, items) in properties.iter_mut() {
                let Value::Array(items) = items else { continue };
                if !["subnets", "virtualNetworkPeerings", "securityRules", "routes"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(key))
                {
                    continue;
                }
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    if let (None, Some(name)) = (prop(item, "id"), prop(item, "name").and_then(Value::as_str)) {
                        let child = Value::String(format!("{id}/{key}/{name}"));
                        item.insert("id".into(), child);
                    }
                }
            }
        }
        map.insert("id".into(), Value::String(id));
        map.insert("name".into(), Value::String(raw.names.join("/")));
        map.insert("type".into(), Value::String(raw.rtype.clone()));
    }
    body
}

/// `resourceId`-style id: the provider part from a type and names.
fn provider_path(ty: &str, names: &[String]) -> String {
    let mut segments = ty.split('/');
    let namespace = segments.next().unwrap_or_default();
    let mut out = format!("providers/{namespace}");
    let types: Vec<&str> = segments.collect();
    for (i, name) in names.iter().enumerate() {
        if let Some(t) = types.get(i) {
            out.push('/');
            out.push_str(t);
        }
        out.push('/');
        out.push_str(name);
    }
    out
}

impl<'o> Eval<'o> {
    fn new(scope: Scope, out: &'o mut Output, template_path: &str, at: Vec<u32>) -> Eval<'o> {
        Eval {
            scope,
            loops: Vec::new(),
            lambdas: Vec::new(),
            unescape: 0,
            depth: 0,
            out,
            pending: Vec::new(),
            template_path: template_path.to_string(),
            template_at: at.clone(),
            at,
        }
    }

    // ---- resources -------------------------------------------------------------------

    fn skip(&mut self, path: &str, what: String, why: impl Into<String>) {
        self.out.skipped.push(Skipped { path: path.to_string(), what, why: why.into() });
    }

    /// A template's top-level resources (`parent` None), or a resource's children.
    fn resources(&mut self, resources: &Value, path: &str, parent: Option<&(String, Vec<String>)>) {
        let items: Vec<(String, Option<&String>, &Value)> = match resources {
            Value::Array(items) => items.iter().enumerate().map(|(i, it)| (format!("{path}[{i}]"), None, it)).collect(),
            // languageVersion 2.0: symbolic names.
            Value::Object(map) => map.iter().map(|(name, it)| (format!("{path}.{name}"), Some(name), it)).collect(),
            _ => return self.skip(path, "resources".into(), "expected an array (or an object of symbolic resources)"),
        };
        if parent.is_some() {
            for (i, (item_path, _, item)) in items.into_iter().enumerate() {
                self.at.push(i as u32);
                self.resource(item, &item_path, parent);
                self.at.pop();
            }
            return;
        }
        let pending = items
            .into_iter()
            .map(|(path, symbol, item)| Pending {
                item: item.clone(),
                path,
                symbol: symbol.cloned(),
                state: State::Todo,
                naming: false,
            })
            .collect();
        let saved = (
            std::mem::replace(&mut self.pending, pending),
            std::mem::replace(&mut self.template_path, path.to_string()),
            std::mem::replace(&mut self.template_at, self.at.clone()),
        );
        for i in 0..self.pending.len() {
            self.run_pending(i);
        }
        (self.pending, self.template_path, self.template_at) = saved;
    }

    /// Evaluates the template's resource `i` unless it is being or has been evaluated.
    fn run_pending(&mut self, i: usize) {
        if self.pending[i].state != State::Todo {
            return;
        }
        self.pending[i].state = State::Busy;
        let (item, path) = (self.pending[i].item.clone(), self.pending[i].path.clone());
        let mut at = self.template_at.clone();
        at.push(i as u32);
        let saved =
            (std::mem::replace(&mut self.at, at), std::mem::take(&mut self.loops), std::mem::take(&mut self.lambdas));
        self.resource(&item, &path, None);
        (self.at, self.loops, self.lambdas) = saved;
        self.pending[i].state = State::Done;
    }

    fn resource(&mut self, item: &Value, path: &str, parent: Option<&(String, Vec<String>)>) {
        let Some(obj) = item.as_object() else {
            return self.skip(path, "resource".into(), "a resource must be a JSON object");
        };
        if prop(obj, "existing").and_then(Value::as_bool) == Some(true) {
            return self.skip(
                path,
                what_of(obj),
                "an existing resource: the template refers to it but does not deploy it, so its properties are not in the input",
            );
        }
        match prop(obj, "copy") {
            Some(Value::Object(copy)) => {
                let name = prop(copy, "name").and_then(Value::as_str).unwrap_or("copy").to_string();
                let count = match prop(copy, "count").map(|c| self.value(c)) {
                    Some(Ok(v)) => as_int(&v),
                    Some(Err(why)) => {
                        return self.skip(path, what_of(obj), format!("its copy count is unknown: {why}"))
                    }
                    None => None,
                };
                let Some(count) = count.filter(|n| (0..=MAX_COPIES).contains(n)) else {
                    return self.skip(path, what_of(obj), "its copy count is not a number from 0 to 800");
                };
                for i in 0..count {
                    self.loops.push(Loop { name: name.clone(), index: i, resource: true });
                    self.at.push(i as u32);
                    self.resource_one(obj, &format!("{path}[copy {i}]"), parent);
                    self.at.pop();
                    self.loops.pop();
                }
            }
            _ => self.resource_one(obj, path, parent),
        }
    }

    fn resource_one(&mut self, obj: &Map<String, Value>, path: &str, parent: Option<&(String, Vec<String>)>) {
        if let Some(condition) = prop(obj, "condition") {
            match self.value(condition).map(|v| truthy(&v)) {
                Ok(Some(true)) => (),
                Ok(_) => {
                    return self.skip(
                        path,
                        what_of(obj),
                        "not deployed: its condition is false with these parameter values",
                    )
                }
                Err(why) => return self.skip(path, what_of(obj), format!("its condition cannot be evaluated: {why}")),
            }
        }
        let ty = match prop(obj, "type").map(|t| self.value(t)) {
            Some(Ok(Value::String(t))) => t,
            _ => return self.skip(path, what_of(obj), "its type is missing or cannot be evaluated"),
        };
        let name = match prop(obj, "name").map(|t| self.value(t)) {
            Some(Ok(v @ (Value::String(_) | Value::Number(_)))) => text_of(&v),
            Some(Err(why)) => return self.skip(path, ty.to_string(), format!("its name cannot be evaluated: {why}")),
            _ => return self.skip(path, ty, "it has no name"),
        };
        let (full_type, names) = full_type_and_names(&ty, &name, parent);
        let what = format!("{full_type} '{name}'");
        if full_type.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
            return self.deployment(obj, path, &name, &what);
        }
        let mut unknowns = Vec::new();
        let mut body = Map::new();
        for key in ["location", "sku", "kind", "zones", "properties", "identity", "scope"] {
            if let Some(value) = prop(obj, key) {
                let evaluated = self.tree(value, &format!("{path}.{key}"), &mut unknowns);
                body.insert(key.to_string(), evaluated);
            }
        }
        if let (None, Some(target)) = (body.get("scope"), &self.scope.target) {
            if full_type.eq_ignore_ascii_case("Microsoft.Authorization/roleAssignments") {
                body.insert("scope".into(), Value::String(target.clone()));
            }
        }
        self.out.order.push(self.at.clone());
        self.out.resources.push(Raw {
            path: path.to_string(),
            rtype: full_type.clone(),
            names: names.clone(),
            subscription: self.scope.subscription.clone(),
            resource_group: self.scope.resource_group.clone(),
            body: Value::Object(body),
            unknowns,
        });
        if let Some(children) = prop(obj, "resources") {
            self.resources(children, &format!("{path}.resources"), Some(&(full_type, names)));
        }
    }

    fn deployment(&mut self, obj: &Map<String, Value>, path: &str, name: &str, what: &str) {
        let props = prop(obj, "properties").and_then(Value::as_object);
        let Some(props) = props else { return self.skip(path, what.into(), "a deployment without properties") };
        if let Some(link) = prop(props, "templateLink") {
            let uri = prop_of(link, "uri").and_then(Value::as_str).unwrap_or("its uri");
            return self.skip(
                path,
                what.into(),
                format!("a linked template ({uri}): that file is not part of this input; import it on its own"),
            );
        }
        let Some(template) = prop(props, "template") else {
            return self.skip(path, what.into(), "a deployment without an inline template");
        };
        if self.depth >= MAX_DEPTH {
            return self.skip(path, what.into(), "nested deployments are nested too deeply");
        }
        let inner = prop(props, "expressionEvaluationOptions")
            .and_then(|o| prop_of(o, "scope"))
            .map(|s| self.value(s))
            .is_some_and(|s| matches!(s, Ok(Value::String(s)) if s.eq_ignore_ascii_case("inner")));
        let place = |eval: &mut Self, key: &str, current: String| -> String {
            match prop(obj, key).map(|v| eval.value(v)) {
                Some(Ok(Value::String(s))) if !s.is_empty() => s,
                Some(Err(why)) => {
                    eval.skip(
                        &format!("{path}.{key}"),
                        format!("the {key} of {what}"),
                        format!("unknown ({why}); its resources are placed in '{current}'"),
                    );
                    current
                }
                _ => current,
            }
        };
        let subscription = place(self, "subscriptionId", self.scope.subscription.clone());
        let resource_group = place(self, "resourceGroup", self.scope.resource_group.clone());
        let template_path = format!("{path}.properties.template.resources");
        if inner {
            let template = unescape(template, self.unescape);
            let mut given = Map::new();
            if let Some(values) = prop(props, "parameters").and_then(Value::as_object) {
                for (param, entry) in values {
                    let value = match prop_of(entry, "value") {
                        Some(value) => {
                            let mut ignored = Vec::new();
                            self.tree(value, "", &mut ignored)
                        }
                        None if prop_of(entry, "reference").is_some() => {
                            unknown(&format!("parameter '{param}' is a Key Vault reference; secrets are not read"))
                        }
                        None => continue,
                    };
                    given.insert(param.clone(), value);
                }
            }
            let scope = Scope::new(
                &template,
                given,
                &subscription,
                &resource_group,
                &self.scope.location.clone(),
                name,
                self.out,
            );
            let mut nested = Eval::new(scope, self.out, &template_path, self.at.clone());
            nested.depth = self.depth + 1;
            if let Some(resources) = prop_of(&template, "resources") {
                nested.resources(resources, &template_path, None);
            }
            let outputs = nested.outputs(&template, path);
            self.record_deployment(path, name, (subscription, resource_group), outputs);
        } else {
            let saved = (
                std::mem::replace(&mut self.scope.subscription, subscription),
                std::mem::replace(&mut self.scope.resource_group, resource_group),
                std::mem::replace(&mut self.template_path, template_path.clone()),
            );
            self.unescape += 1;
            self.depth += 1;
            if let Some(resources) = prop_of(template, "resources") {
                self.resources(resources, &template_path, None);
            }
            let outputs = self.outputs(template, path);
            self.depth -= 1;
            self.unescape -= 1;
            let placed = (
                std::mem::replace(&mut self.scope.subscription, saved.0),
                std::mem::replace(&mut self.scope.resource_group, saved.1),
            );
            self.template_path = saved.2;
            self.record_deployment(path, name, placed, outputs);
        }
    }

    /// A template's `outputs`, evaluated after its resources: `{name: {value}}`, an output
    /// that cannot be known holding an unknown marker (reading it says why).
    fn outputs(&mut self, template: &Value, path: &str) -> Value {
        let mut outputs = Map::new();
        for (name, decl) in prop_of(template, "outputs").and_then(Value::as_object).into_iter().flatten() {
            let mut ignored = Vec::new();
            if let Some(condition) = prop_of(decl, "condition") {
                if self.value(condition).ok().and_then(|c| truthy(&c)) != Some(true) {
                    continue;
                }
            }
            let value = match prop_of(decl, "copy") {
                Some(spec) => {
                    let mut spec = spec.clone();
                    if let Value::Object(map) = &mut spec {
                        map.insert("name".into(), Value::String(name.clone()));
                    }
                    match self.property_copy(&spec, &format!("{path}.outputs"), &mut ignored) {
                        Some((_, items)) => Value::Array(items),
                        None => unknown(&format!("output '{name}': its copy count is unknown")),
                    }
                }
                None => match prop_of(decl, "value") {
                    Some(value) => self.tree(value, "", &mut ignored),
                    None => unknown(&format!("output '{name}' has no value")),
                },
            };
            let mut output = Map::new();
            output.insert("value".into(), value);
            outputs.insert(name.clone(), Value::Object(output));
        }
        Value::Object(outputs)
    }

    fn record_deployment(
        &mut self,
        path: &str,
        name: &str,
        (subscription, resource_group): (String, String),
        outputs: Value,
    ) {
        let mut properties = Map::new();
        properties.insert("outputs".into(), outputs);
        let mut body = Map::new();
        body.insert("properties".into(), Value::Object(properties));
        self.out.deployments.push(Raw {
            path: path.to_string(),
            rtype: "Microsoft.Resources/deployments".into(),
            names: vec![name.to_string()],
            subscription,
            resource_group,
            body: Value::Object(body),
            unknowns: Vec::new(),
        });
    }

    // ---- JSON trees ------------------------------------------------------------------

    /// Evaluates every expression in a JSON tree; unknown values become markers, each
    /// recorded with its path.
    pub fn tree(&mut self, value: &Value, path: &str, unknowns: &mut Vec<(String, String)>) -> Value {
        match value {
            Value::String(s) => match self.string(s) {
                Ok(v) => {
                    collect_markers(&v, path, unknowns);
                    v
                }
                Err(why) => {
                    unknowns.push((path.to_string(), why.clone()));
                    unknown(&why)
                }
            },
            Value::Array(items) => Value::Array(
                items.iter().enumerate().map(|(i, it)| self.tree(it, &format!("{path}[{i}]"), unknowns)).collect(),
            ),
            Value::Object(map) => {
                if unknown_why(value).is_some() {
                    return value.clone();
                }
                let mut out = Map::new();
                for (key, item) in map {
                    if key.eq_ignore_ascii_case("copy") {
                        if let Value::Array(loops) = item {
                            for spec in loops {
                                if let Some((name, items)) = self.property_copy(spec, path, unknowns) {
                                    out.insert(name, Value::Array(items));
                                }
                            }
                            continue;
                        }
                    }
                    let evaluated = self.tree(item, &format!("{path}.{key}"), unknowns);
                    out.insert(key.clone(), evaluated);
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// A property (or variable) copy loop `{name, count, input}`.
    fn property_copy(
        &mut self,
        spec: &Value,
        path: &str,
        unknowns: &mut Vec<(String, String)>,
    ) -> Option<(String, Vec<Value>)> {
        let name = prop_of(spec, "name").and_then(Value::as_str)?.to_string();
        let count = match prop_of(spec, "count").map(|c| self.value(c)) {
            Some(Ok(v)) => as_int(&v).filter(|n| (0..=MAX_COPIES).contains(n)),
            Some(Err(why)) => {
                unknowns.push((format!("{path}.{name}"), format!("its copy count is unknown: {why}")));
                return Some((name.clone(), vec![unknown(&why)]));
            }
            None => None,
        };
        let Some(count) = count else {
            unknowns.push((format!("{path}.{name}"), "its copy count is not a number from 0 to 800".into()));
            return None;
        };
        let input = prop_of(spec, "input").cloned().unwrap_or(Value::Null);
        let mut items = Vec::new();
        for i in 0..count {
            self.loops.push(Loop { name: name.clone(), index: i, resource: false });
            items.push(self.tree(&input, &format!("{path}.{name}[{i}]"), unknowns));
            self.loops.pop();
        }
        Some((name, items))
    }

    /// A JSON value that may be an expression string (the expression's value), or a tree.
    fn value(&mut self, value: &Value) -> R {
        match value {
            Value::String(s) => self.string(s),
            other => {
                let mut unknowns = Vec::new();
                let v = self.tree(other, "", &mut unknowns);
                match unknowns.first() {
                    Some((_, why)) if unknown_why(&v).is_some() => Err(why.clone()),
                    _ => Ok(v),
                }
            }
        }
    }

    fn string(&mut self, s: &str) -> R {
        if let Some(rest) = s.strip_prefix("[[") {
            return Ok(Value::String(format!("[{rest}")));
        }
        if s.len() >= 2 && s.starts_with('[') && s.ends_with(']') {
            let parsed = expr::parse(&s[1..s.len() - 1]).map_err(|err| format!("cannot read the expression: {err}"))?;
            return self.eval(&parsed);
        }
        Ok(Value::String(s.to_string()))
    }

    // ---- expressions -----------------------------------------------------------------

    fn slot(&mut self, params: bool, name: &str) -> R {
        let what = if params { "parameter" } else { "variable" };
        let slots = if params { &mut self.scope.params } else { &mut self.scope.vars };
        let Some(idx) = find(slots, name) else { return Err(format!("the template declares no {what} '{name}'")) };
        let slot = std::mem::replace(&mut slots[idx].1, Slot::Busy);
        let value = match slot {
            Slot::Done(v) => v,
            Slot::Busy => return Err(format!("{what} '{name}' refers to itself")),
            Slot::Raw(raw) => {
                let mut ignored = Vec::new();
                let saved = std::mem::take(&mut self.loops);
                let v = self.tree(&raw, "", &mut ignored);
                self.loops = saved;
                v
            }
            Slot::Copy(spec) => {
                let mut ignored = Vec::new();
                match self.property_copy(&spec, "", &mut ignored) {
                    Some((_, items)) => Value::Array(items),
                    None => unknown(&format!("variable '{name}': its copy count is unknown")),
                }
            }
        };
        let slots = if params { &mut self.scope.params } else { &mut self.scope.vars };
        slots[idx].1 = Slot::Done(value.clone());
        marker_ok(value)
    }

    pub fn eval(&mut self, expr: &Expr) -> R {
        self.out.steps += 1;
        if self.out.steps > MAX_STEPS {
            return Err("the template is too large to evaluate".into());
        }
        match expr {
            Expr::Lit(v) => Ok(v.clone()),
            Expr::Prop(base, name) => match self.eval(base)? {
                Value::Object(map) => match prop(&map, name) {
                    Some(v) => marker_ok(v.clone()),
                    None if from_reference(base) => Err("reference() can only be known at deployment time".into()),
                    None => Err(format!("property '{name}' does not exist")),
                },
                _ => Err(format!("'.{name}' is applied to a value that is not an object")),
            },
            Expr::Index(base_expr, index) => {
                let base = self.eval(base_expr)?;
                let index = self.eval(index)?;
                match (&base, &index) {
                    (Value::Array(items), _) => {
                        let i = as_int(&index).ok_or("an array index must be a number")?;
                        usize::try_from(i)
                            .ok()
                            .and_then(|i| items.get(i))
                            .cloned()
                            .ok_or_else(|| missing(base_expr, format!("index {i} is out of range")))
                            .and_then(marker_ok)
                    }
                    (Value::Object(map), Value::String(key)) => prop(map, key)
                        .cloned()
                        .ok_or_else(|| missing(base_expr, format!("property '{key}' does not exist")))
                        .and_then(marker_ok),
                    _ => Err("cannot index this value".into()),
                }
            }
            Expr::Call(name, args) => self.call(name, args),
        }
    }

    fn args(&mut self, args: &[Expr]) -> Result<Vec<Value>, String> {
        args.iter().map(|a| self.eval(a).and_then(marker_ok)).collect()
    }

    fn lambda(&mut self, lambda: &Expr, values: &[Value]) -> R {
        let Expr::Call(name, parts) = lambda else { return Err("expected a lambda()".into()) };
        if !name.eq_ignore_ascii_case("lambda") || parts.is_empty() {
            return Err("expected a lambda()".into());
        }
        let (params, body) = parts.split_at(parts.len() - 1);
        let mut bound = 0;
        for (param, value) in params.iter().zip(values) {
            let Expr::Lit(Value::String(param)) = param else { return Err("a lambda's parameters are strings".into()) };
            self.lambdas.push((param.clone(), value.clone()));
            bound += 1;
        }
        let result = self.eval(&body[0]);
        for _ in 0..bound {
            self.lambdas.pop();
        }
        result
    }

    fn resource_group(&self) -> Value {
        let s = &self.scope;
        serde_json::json!({
            "id": format!("/subscriptions/{}/resourceGroups/{}", s.subscription, s.resource_group),
            "name": s.resource_group,
            "type": "Microsoft.Resources/resourceGroups",
            "location": s.location,
            "properties": { "provisioningState": "Succeeded" }
        })
    }

    fn call(&mut self, name: &str, raw: &[Expr]) -> R {
        let lname = name.to_ascii_lowercase();
        // Functions whose arguments are evaluated lazily.
        match lname.as_str() {
            "if" | "iif" => {
                if raw.len() != 3 {
                    return Err("if() needs 3 arguments".into());
                }
                let condition = self.eval(&raw[0])?;
                return match truthy(&condition) {
                    Some(true) => self.eval(&raw[1]),
                    Some(false) => self.eval(&raw[2]),
                    None => Err("if() needs a boolean condition".into()),
                };
            }
            "and" | "or" => {
                let short = lname == "or";
                for arg in raw {
                    let v = self.eval(arg)?;
                    if truthy(&v).ok_or("and()/or() need booleans")? == short {
                        return Ok(Value::Bool(short));
                    }
                }
                return Ok(Value::Bool(!short));
            }
            "coalesce" => {
                for arg in raw {
                    let v = self.eval(arg)?;
                    if !v.is_null() {
                        return Ok(v);
                    }
                }
                return Ok(Value::Null);
            }
            "map" | "filter" | "sort" | "toobject" | "reduce" => return self.lambda_call(&lname, raw),
            "lambdavariables" => {
                let n = self.args(raw)?;
                let key = n.first().and_then(Value::as_str).ok_or("lambdaVariables() needs a name")?;
                return self
                    .lambdas
                    .iter()
                    .rev()
                    .find(|(name, _)| name == key)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| format!("no lambda variable '{key}'"));
            }
            "parameters" | "variables" => {
                let n = self.args(raw)?;
                let key = n.first().and_then(Value::as_str).ok_or("needs a name")?.to_string();
                return self.slot(lname == "parameters", &key);
            }
            "reference" => return self.reference(raw),
            "listkeys" | "listsecrets" | "listaccountsas" | "listservicesas" | "pickzones" | "newguid" | "utcnow"
            | "providers" | "managementgroup" => {
                return Err(format!("{name}() can only be known at deployment time"));
            }
            _ if lname.starts_with("list") => return Err(format!("{name}() can only be known at deployment time")),
            _ if name.contains('.') => return self.user_function(name, raw),
            _ => (),
        }
        let a = self.args(raw)?;
        let s =
            |i: usize| -> Result<String, String> { a.get(i).map(string_arg).unwrap_or(Err("missing argument".into())) };
        let n = |i: usize| -> Result<i64, String> { a.get(i).map(int_arg).unwrap_or(Err("missing argument".into())) };
        let v = match lname.as_str() {
            "concat" => {
                if a.iter().all(|v| v.is_array() || v.is_null()) && !a.is_empty() {
                    Value::Array(a.iter().filter_map(Value::as_array).flatten().cloned().collect())
                } else {
                    Value::String(a.iter().map(string_arg).collect::<Result<Vec<_>, _>>()?.concat())
                }
            }
            "format" => Value::String(format_text(&s(0)?, &a[1..])?),
            "string" => Value::String(text_of(a.first().ok_or("string() needs an argument")?)),
            "int" => Value::from(n(0)?),
            "float" => a.first().cloned().ok_or("float() needs an argument")?,
            "bool" => Value::Bool(truthy(a.first().ok_or("bool() needs an argument")?).ok_or("not a boolean")?),
            "json" => serde_json::from_str(&s(0)?).map_err(|_| "json() got invalid JSON".to_string())?,
            "null" => Value::Null,
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "tolower" => Value::String(s(0)?.to_lowercase()),
            "toupper" => Value::String(s(0)?.to_uppercase()),
            "trim" => Value::String(s(0)?.trim().to_string()),
            "equals" => {
                arity(name, &a, 2)?;
                Value::Bool(equal(&a[0], &a[1]))
            }
            "not" => Value::Bool(!truthy(a.first().ok_or("not() needs an argument")?).ok_or("not() needs a boolean")?),
            "greater" | "less" | "greaterorequals" | "lessorequals" => {
                arity(name, &a, 2)?;
                let ord = match (&a[0], &a[1]) {
                    (Value::String(x), Value::String(y)) => x.cmp(y),
                    (x, y) => {
                        let (x, y) = (x.as_f64().ok_or("compare numbers")?, y.as_f64().ok_or("compare numbers")?);
                        x.partial_cmp(&y).ok_or("not comparable")?
                    }
                };
                Value::Bool(match lname.as_str() {
                    "greater" => ord.is_gt(),
                    "less" => ord.is_lt(),
                    "greaterorequals" => ord.is_ge(),
                    _ => ord.is_le(),
                })
            }
            "empty" => Value::Bool(match a.first() {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.is_empty(),
                Some(Value::Array(x)) => x.is_empty(),
                Some(Value::Object(x)) => x.is_empty(),
                _ => false,
            }),
            "length" => Value::from(match a.first() {
                Some(Value::String(s)) => s.chars().count(),
                Some(Value::Array(x)) => x.len(),
                Some(Value::Object(x)) => x.len(),
                Some(Value::Null) => 0,
                _ => return Err("length() needs a string, array or object".into()),
            }),
            "contains" => {
                arity(name, &a, 2)?;
                Value::Bool(match &a[0] {
                    Value::String(x) => x.contains(&string_arg(&a[1])?),
                    Value::Array(x) => x.iter().any(|it| equal(it, &a[1])),
                    Value::Object(x) => prop(x, &string_arg(&a[1])?).is_some(),
                    _ => false,
                })
            }
            "startswith" => Value::Bool(s(0)?.to_lowercase().starts_with(&s(1)?.to_lowercase())),
            "endswith" => Value::Bool(s(0)?.to_lowercase().ends_with(&s(1)?.to_lowercase())),
            "indexof" | "lastindexof" => {
                let (hay, needle) = (s(0)?.to_lowercase(), s(1)?.to_lowercase());
                let found = if lname == "indexof" { hay.find(&needle) } else { hay.rfind(&needle) };
                Value::from(found.map(|i| hay[..i].chars().count() as i64).unwrap_or(-1))
            }
            "substring" => {
                let text: Vec<char> = s(0)?.chars().collect();
                let start = usize::try_from(n(1)?).map_err(|_| "bad substring start")?;
                let len = if a.len() > 2 {
                    usize::try_from(n(2)?).map_err(|_| "bad substring length")?
                } else {
                    text.len().saturating_sub(start)
                };
                if start + len > text.len() {
                    return Err("substring() is out of range".into());
                }
                Value::String(text[start..start + len].iter().collect())
            }
            "padleft" => {
                let text = s(0)?;
                let width = usize::try_from(n(1)?).unwrap_or(0).min(1000);
                let pad = if a.len() > 2 { s(2)?.chars().next().unwrap_or(' ') } else { ' ' };
                let missing = width.saturating_sub(text.chars().count());
                Value::String(std::iter::repeat_n(pad, missing).chain(text.chars()).collect())
            }
            "replace" => Value::String(s(0)?.replace(&s(1)?, &s(2)?)),
            "split" => {
                let text = s(0)?;
                let delims: Vec<String> = match a.get(1) {
                    Some(Value::Array(items)) => items.iter().map(string_arg).collect::<Result<_, _>>()?,
                    _ => vec![s(1)?],
                };
                let mut parts = vec![text];
                for delim in delims.iter().filter(|d| !d.is_empty()) {
                    parts = parts.iter().flat_map(|p| p.split(delim.as_str()).map(str::to_string)).collect();
                }
                Value::Array(parts.into_iter().map(Value::String).collect())
            }
            "join" => {
                let items = a.first().and_then(Value::as_array).ok_or("join() needs an array")?;
                Value::String(items.iter().map(text_of).collect::<Vec<_>>().join(&s(1)?))
            }
            "first" | "last" => match a.first() {
                Some(Value::Array(items)) => {
                    let it = if lname == "first" { items.first() } else { items.last() };
                    it.cloned().unwrap_or(Value::Null)
                }
                Some(Value::String(text)) => {
                    let it = if lname == "first" { text.chars().next() } else { text.chars().last() };
                    Value::String(it.map(String::from).unwrap_or_default())
                }
                _ => return Err(format!("{name}() needs an array or a string")),
            },
            "take" | "skip" => {
                let count = usize::try_from(n(1)?.max(0)).unwrap_or(0);
                match a.first() {
                    Some(Value::Array(items)) => Value::Array(if lname == "take" {
                        items.iter().take(count).cloned().collect()
                    } else {
                        items.iter().skip(count).cloned().collect()
                    }),
                    Some(Value::String(text)) => Value::String(if lname == "take" {
                        text.chars().take(count).collect()
                    } else {
                        text.chars().skip(count).collect()
                    }),
                    _ => return Err(format!("{name}() needs an array or a string")),
                }
            }
            "range" => {
                let (start, count) = (n(0)?, n(1)?);
                if !(0..=10_000).contains(&count) {
                    return Err("range() count out of bounds".into());
                }
                Value::Array((start..start + count).map(Value::from).collect())
            }
            "min" | "max" => {
                let list: Vec<i64> = match a.first() {
                    Some(Value::Array(items)) => items.iter().map(int_arg).collect::<Result<_, _>>()?,
                    _ => a.iter().map(int_arg).collect::<Result<_, _>>()?,
                };
                let it = if lname == "min" { list.iter().min() } else { list.iter().max() };
                Value::from(*it.ok_or("min()/max() need numbers")?)
            }
            "add" => Value::from(n(0)?.checked_add(n(1)?).ok_or("overflow")?),
            "sub" => Value::from(n(0)?.checked_sub(n(1)?).ok_or("overflow")?),
            "mul" => Value::from(n(0)?.checked_mul(n(1)?).ok_or("overflow")?),
            "div" => Value::from(n(0)?.checked_div(n(1)?).ok_or("division by zero")?),
            "mod" => Value::from(n(0)?.checked_rem(n(1)?).ok_or("division by zero")?),
            "array" => match a.first() {
                Some(Value::Array(items)) => Value::Array(items.clone()),
                Some(other) => Value::Array(vec![other.clone()]),
                None => Value::Array(Vec::new()),
            },
            "createarray" => Value::Array(a.clone()),
            "createobject" => {
                let mut map = Map::new();
                for pair in a.chunks(2) {
                    let key = string_arg(&pair[0])?;
                    map.insert(key, pair.get(1).cloned().unwrap_or(Value::Null));
                }
                Value::Object(map)
            }
            "union" | "intersection" => union_or_intersection(&lname, &a)?,
            "shallowmerge" => {
                let mut map = Map::new();
                for item in a.first().and_then(Value::as_array).ok_or("shallowMerge() needs an array")? {
                    if let Value::Object(o) = item {
                        map.extend(o.clone());
                    }
                }
                Value::Object(map)
            }
            "flatten" => Value::Array(
                a.first()
                    .and_then(Value::as_array)
                    .ok_or("flatten() needs an array")?
                    .iter()
                    .flat_map(|it| it.as_array().cloned().unwrap_or_else(|| vec![it.clone()]))
                    .collect(),
            ),
            "items" => {
                let map = a.first().and_then(Value::as_object).ok_or("items() needs an object")?;
                let mut pairs: Vec<(&String, &Value)> = map.iter().collect();
                crate::util::sort_by_key(&mut pairs, |x| x.0.to_lowercase());
                Value::Array(pairs.into_iter().map(|(k, v)| serde_json::json!({ "key": k, "value": v })).collect())
            }
            "objectkeys" => Value::Array(
                a.first()
                    .and_then(Value::as_object)
                    .ok_or("objectKeys() needs an object")?
                    .keys()
                    .map(|k| Value::String(k.clone()))
                    .collect(),
            ),
            "tryget" => {
                let mut current = a.first().cloned().unwrap_or(Value::Null);
                for key in &a[1.min(a.len())..] {
                    current = match (&current, key) {
                        (Value::Object(map), Value::String(k)) => prop(map, k).cloned().unwrap_or(Value::Null),
                        (Value::Array(items), k) => as_int(k)
                            .and_then(|i| usize::try_from(i).ok())
                            .and_then(|i| items.get(i).cloned())
                            .unwrap_or(Value::Null),
                        _ => Value::Null,
                    };
                }
                marker_ok(current)?
            }
            "uniquestring" => {
                let parts: Vec<String> = a.iter().map(text_of).collect();
                let mut hash = stand_in_hash(&parts);
                let alphabet = b"abcdefghijklmnopqrstuvwxyz234567";
                let mut out = String::new();
                for _ in 0..13 {
                    out.push(alphabet[(hash & 31) as usize] as char);
                    hash = hash.rotate_right(5) ^ 0x9e37_79b9_7f4a_7c15;
                }
                Value::String(out)
            }
            "guid" => {
                let parts: Vec<String> = a.iter().map(text_of).collect();
                let h1 = stand_in_hash(&parts);
                let h2 = stand_in_hash(&[format!("{h1:x}")]);
                let hex = format!("{h1:016x}{h2:016x}");
                Value::String(format!(
                    "{}-{}-{}-{}-{}",
                    &hex[0..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..32]
                ))
            }
            "copyindex" => {
                let (loop_name, offset) = match a.first() {
                    Some(Value::String(name)) => (Some(name.clone()), a.get(1).map(int_arg).transpose()?.unwrap_or(0)),
                    Some(other) => (None, int_arg(other)?),
                    None => (None, 0),
                };
                let found = match &loop_name {
                    Some(name) => self.loops.iter().rev().find(|l| l.name.eq_ignore_ascii_case(name)),
                    None => self.loops.iter().rev().find(|l| l.resource).or(self.loops.last()),
                };
                Value::from(found.ok_or("copyIndex() is used outside a copy loop")?.index + offset)
            }
            "resourcegroup" => self.resource_group(),
            "subscription" => serde_json::json!({
                "id": format!("/subscriptions/{}", self.scope.subscription),
                "subscriptionId": self.scope.subscription,
                "tenantId": PLACEHOLDER_TENANT,
                "displayName": self.scope.subscription,
            }),
            "tenant" => serde_json::json!({ "tenantId": PLACEHOLDER_TENANT, "displayName": PLACEHOLDER_TENANT }),
            "deployment" => serde_json::json!({
                "name": self.scope.deployment,
                "location": self.scope.location,
                "properties": { "templateLink": unknown("the deployment's template link is known only at deployment time") },
            }),
            "environment" => serde_json::json!({
                "name": "AzureCloud",
                "suffixes": {
                    "storage": "core.windows.net",
                    "keyvaultDns": ".vault.azure.net",
                    "sqlServerHostname": ".database.windows.net",
                    "acrLoginServer": ".azurecr.io",
                },
                "resourceManager": "https://management.azure.com/",
                "authentication": { "loginEndpoint": "https://login.microsoftonline.com/" },
            }),
            "resourceid" | "subscriptionresourceid" | "tenantresourceid" => {
                let strings: Vec<String> = a.iter().map(string_arg).collect::<Result<_, _>>()?;
                let t =
                    strings.iter().position(|it| it.split('/').next().is_some_and(is_namespace) && it.contains('/'));
                let t = t.ok_or_else(|| format!("{name}() needs a resource type"))?;
                let (before, after) = (&strings[..t], &strings[t + 1..]);
                let path = provider_path(&strings[t], after);
                match lname.as_str() {
                    "tenantresourceid" => Value::String(format!("/{path}")),
                    "subscriptionresourceid" => {
                        let sub = before.first().cloned().unwrap_or_else(|| self.scope.subscription.clone());
                        Value::String(format!("/subscriptions/{sub}/{path}"))
                    }
                    _ => {
                        let (sub, rg) = match before {
                            [] => (self.scope.subscription.clone(), self.scope.resource_group.clone()),
                            [rg] => (self.scope.subscription.clone(), rg.clone()),
                            [sub, rg, ..] => (sub.clone(), rg.clone()),
                        };
                        Value::String(format!("/subscriptions/{sub}/resourceGroups/{rg}/{path}"))
                    }
                }
            }
            "extensionresourceid" => {
                let strings: Vec<String> = a.iter().map(string_arg).collect::<Result<_, _>>()?;
                arity(name, &a, 3)?;
                Value::String(format!(
                    "{}/{}",
                    strings[0].trim_end_matches('/'),
                    provider_path(&strings[1], &strings[2..])
                ))
            }
            "managementgroupresourceid" => {
                let strings: Vec<String> = a.iter().map(string_arg).collect::<Result<_, _>>()?;
                let t = strings.iter().position(|it| it.contains('/')).ok_or("needs a resource type")?;
                let mg = if t > 0 { strings[0].clone() } else { "imported-management-group".into() };
                Value::String(format!(
                    "/providers/Microsoft.Management/managementGroups/{mg}/{}",
                    provider_path(&strings[t], &strings[t + 1..])
                ))
            }
            "uri" => {
                let base = s(0)?;
                let cut = base.rfind('/').map(|i| i + 1).unwrap_or(base.len());
                Value::String(format!("{}{}", &base[..cut], s(1)?.trim_start_matches('/')))
            }
            _ => return Err(format!("the function {name}() is not supported by the importer")),
        };
        Ok(v)
    }

    /// `reference(id or symbolic name, apiVersion, 'Full')` of a resource or nested
    /// deployment of the input, evaluated first if it comes later: the properties the
    /// template gives it (what Azure returns as given) or the deployment's outputs; what
    /// Azure computes is absent, and reading it is unknown (see `eval`).
    fn reference(&mut self, raw: &[Expr]) -> R {
        let a = self.args(raw)?;
        let late = || "reference() can only be known at deployment time".to_string();
        let target = a.first().and_then(Value::as_str).ok_or_else(late)?;
        let full = a.get(2).and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("full"));
        let body = match self.referenced(target) {
            Some(body) => body,
            None => {
                let path = self.evaluate_referenced(target)?;
                self.referenced(target).ok_or_else(|| {
                    format!("reference() reads '{target}', which is not deployed (see {path} for why)")
                })?
            }
        };
        if full {
            return Ok(body);
        }
        Ok(prop_of(&body, "properties").cloned().unwrap_or_else(|| Value::Object(Map::new())))
    }

    /// The full body of an evaluated resource or deployment: by id, by symbolic name
    /// (`vnet`, a loop's `subnets[2]`), or by name in this template (`reference('name')`).
    fn referenced(&self, target: &str) -> Option<Value> {
        let records = || self.out.resources.iter().chain(&self.out.deployments).rev();
        if !target.contains('/') {
            let (symbol, copy) = split_symbol(target);
            let path = match copy {
                Some(i) => format!("{}.{symbol}[copy {i}]", self.template_path),
                None => format!("{}.{symbol}", self.template_path),
            };
            let named = |r: &&Raw| {
                r.path.starts_with(&self.template_path)
                    && r.names.last().is_some_and(|n| n.eq_ignore_ascii_case(target))
            };
            return records().find(|r| r.path == path).or_else(|| records().find(named)).map(full_body);
        }
        let id = super::map::ArmId::parse(target)?;
        let here = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w.eq_ignore_ascii_case(have));
        let same = |raw: &Raw, rtype: &str, names: &[String]| {
            raw.rtype.eq_ignore_ascii_case(rtype)
                && raw.names.len() == names.len()
                && raw.names.iter().zip(names).all(|(a, b)| a.eq_ignore_ascii_case(b))
                && here(&id.subscription, &raw.subscription)
                && here(&id.resource_group, &raw.resource_group)
        };
        if let Some(raw) = records().find(|r| same(r, &id.rtype, &id.names)) {
            return Some(full_body(raw));
        }
        // A child declared inline in its parent (a subnet in its VNet).
        let (parent, child) = id.rtype.rsplit_once('/')?;
        let (last, names) = id.names.split_last()?;
        let owner = records().find(|r| same(r, parent, names))?;
        let items = prop_of(&full_body(owner), "properties").and_then(|p| prop_of(p, child)).cloned()?;
        let named = |it: &&Value| prop_of(it, "name").and_then(Value::as_str) == Some(last.as_str());
        items.as_array()?.iter().find(named).cloned()
    }

    /// Evaluates the template's resource (or module) that `target` names, when it has not
    /// been yet; its path (a resource evaluated but not deployed has no record there). One
    /// that is being evaluated refers back to itself: unknown.
    fn evaluate_referenced(&mut self, target: &str) -> Result<String, String> {
        let late = || "reference() can only be known at deployment time".to_string();
        let id = if target.contains('/') { Some(super::map::ArmId::parse(target).ok_or_else(late)?) } else { None };
        let (symbol, _) = split_symbol(target);
        for i in 0..self.pending.len() {
            let hit = match &id {
                None => self.pending[i].symbol.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(symbol)),
                Some(id) => self.declares(i, id),
            };
            if !hit {
                continue;
            }
            if self.pending[i].state == State::Busy {
                return Err(format!("'{target}' is referred to while it is being evaluated (a cycle)"));
            }
            self.run_pending(i);
            return Ok(self.pending[i].path.clone());
        }
        Err(late())
    }

    /// Whether the template's resource `i` is the one `id` names (a loop not yet evaluated
    /// is, by type: the whole loop is then evaluated).
    fn declares(&mut self, i: usize, id: &super::map::ArmId) -> bool {
        let item = self.pending[i].item.clone();
        let ty = prop_of(&item, "type").map(|t| self.value(t));
        if !matches!(&ty, Some(Ok(Value::String(t))) if t.eq_ignore_ascii_case(&id.rtype)) {
            return false;
        }
        if prop_of(&item, "copy").is_some() {
            return self.pending[i].state == State::Todo;
        }
        // Its name may itself refer to others: a cycle of such names ends here.
        if self.pending[i].naming {
            return false;
        }
        self.pending[i].naming = true;
        let saved = (std::mem::take(&mut self.loops), std::mem::take(&mut self.lambdas));
        let name = prop_of(&item, "name").map(|n| self.value(n));
        (self.loops, self.lambdas) = saved;
        self.pending[i].naming = false;
        matches!(name, Some(Ok(Value::String(n))) if n.eq_ignore_ascii_case(&id.names.join("/")))
    }

    /// A user-defined function: its output evaluated with its own parameters only (ARM
    /// gives it no variables, no copy index and no outer parameters).
    fn user_function(&mut self, name: &str, raw: &[Expr]) -> R {
        let found = self.scope.functions.iter().find(|f| f.0.eq_ignore_ascii_case(name)).cloned();
        let (_, names, output) = found.ok_or_else(|| format!("the template defines no function {name}()"))?;
        if self.depth >= MAX_DEPTH {
            return Err(format!("{name}() calls functions too deeply"));
        }
        let args = self.args(raw)?;
        let params = names.into_iter().zip(args).map(|(n, v)| (n, Slot::Done(v))).collect();
        let saved_params = std::mem::replace(&mut self.scope.params, params);
        let saved_vars = std::mem::take(&mut self.scope.vars);
        let (saved_loops, saved_lambdas) = (std::mem::take(&mut self.loops), std::mem::take(&mut self.lambdas));
        self.depth += 1;
        let result = self.value(&output);
        self.depth -= 1;
        self.scope.params = saved_params;
        self.scope.vars = saved_vars;
        (self.loops, self.lambdas) = (saved_loops, saved_lambdas);
        result
    }

    fn lambda_call(&mut self, lname: &str, raw: &[Expr]) -> R {
        let items = match raw.first().map(|a| self.eval(a)).transpose()? {
            Some(Value::Array(items)) => items,
            _ => return Err(format!("{lname}() needs an array")),
        };
        let Some(f) = raw.get(1) else { return Err(format!("{lname}() needs a lambda")) };
        match lname {
            "map" => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    out.push(self.lambda(f, &[item.clone(), Value::from(i as i64)])?);
                }
                Ok(Value::Array(out))
            }
            "filter" => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    if truthy(&self.lambda(f, &[item.clone(), Value::from(i as i64)])?) == Some(true) {
                        out.push(item.clone());
                    }
                }
                Ok(Value::Array(out))
            }
            "toobject" => {
                let mut map = Map::new();
                for item in &items {
                    let key = text_of(&self.lambda(f, std::slice::from_ref(item))?);
                    let value = match raw.get(2) {
                        Some(g) => self.lambda(g, std::slice::from_ref(item))?,
                        None => item.clone(),
                    };
                    map.insert(key, value);
                }
                Ok(Value::Object(map))
            }
            "reduce" => {
                let Some(g) = raw.get(2) else { return Err("reduce() needs a lambda".into()) };
                let mut acc = self.eval(f)?;
                for (i, item) in items.iter().enumerate() {
                    acc = self.lambda(g, &[acc, item.clone(), Value::from(i as i64)])?;
                }
                Ok(acc)
            }
            _ => Err(format!("the function {lname}() is not supported by the importer")),
        }
    }
}

fn union_or_intersection(lname: &str, a: &[Value]) -> R {
    let Some(first) = a.first() else { return Err(format!("{lname}() needs arguments")) };
    match first {
        Value::Object(_) => {
            let objects: Vec<&Map<String, Value>> = a.iter().filter_map(Value::as_object).collect();
            let mut map = objects[0].clone();
            if lname == "union" {
                for other in &objects[1..] {
                    for (k, v) in other.iter() {
                        map.insert(k.clone(), v.clone());
                    }
                }
            } else {
                map.retain(|k, v| objects[1..].iter().all(|o| o.get(k).is_some_and(|w| equal(v, w))));
            }
            Ok(Value::Object(map))
        }
        Value::Array(_) => {
            let arrays: Vec<&Vec<Value>> = a.iter().filter_map(Value::as_array).collect();
            let mut out: Vec<Value> = Vec::new();
            if lname == "union" {
                for item in arrays.iter().flat_map(|x| x.iter()) {
                    if !out.iter().any(|o| equal(o, item)) {
                        out.push(item.clone());
                    }
                }
            } else {
                for item in arrays[0] {
                    if arrays[1..].iter().all(|x| x.iter().any(|o| equal(o, item)))
                        && !out.iter().any(|o| equal(o, item))
                    {
                        out.push(item.clone());
                    }
                }
            }
            Ok(Value::Array(out))
        }
        Value::Null => Ok(a.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null)),
        _ => Err(format!("{lname}() needs arrays or objects")),
    }
}

/// `format('{0}-{1:N0}', a, b)`: .NET composite formatting, the format spec ignored.
fn format_text(pattern: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut spec = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    spec.push(d);
                }
                let index = spec.split([':', ',']).next().unwrap_or("").trim();
                let i: usize = index.parse().map_err(|_| format!("format(): bad placeholder '{{{spec}}}'"))?;
                out.push_str(&text_of(args.get(i).ok_or("format(): too few arguments")?));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// A resource's full type and name segments: a child declared inside its parent may give
/// them relative to the parent (`subnets`, `default`).
pub fn full_type_and_names(ty: &str, name: &str, parent: Option<&(String, Vec<String>)>) -> (String, Vec<String>) {
    let names: Vec<String> = name.split('/').map(str::to_string).collect();
    let full = ty.split('/').next().is_some_and(is_namespace);
    match parent {
        Some((parent_type, parent_names)) if !full => {
            let mut all = parent_names.clone();
            all.extend(names);
            (format!("{parent_type}/{ty}"), all)
        }
        Some((_, parent_names)) => {
            let needed = ty.split('/').count().saturating_sub(1);
            if names.len() < needed {
                let mut all: Vec<String> = parent_names.iter().take(needed - names.len()).cloned().collect();
                all.extend(names);
                (ty.to_string(), all)
            } else {
                (ty.to_string(), names)
            }
        }
        None => (ty.to_string(), names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval_with(template: Value, text: &str) -> R {
        let mut out = Output::default();
        let scope = Scope::new(&template, Map::new(), "sub-1", "rg-1", "westeurope", "dep", &mut out);
        let mut eval = Eval::new(scope, &mut out, "resources", Vec::new());
        eval.string(text)
    }

    fn eval(text: &str) -> R {
        eval_with(
            json!({
                "parameters": {
                    "name": { "type": "string", "defaultValue": "hub" },
                    "net": { "type": "object", "defaultValue": { "name": "vnet-a", "prefixes": ["10.0.0.0/16"] } },
                    "secret": { "type": "securestring" },
                    "sku": { "type": "string", "defaultValue": "[if(equals(parameters('name'), 'hub'), 'Standard', 'Basic')]" }
                },
                "variables": {
                    "prefix": "[concat('vnet-', parameters('name'))]",
                    "obj": { "a": "[parameters('name')]", "b": [1, 2] },
                    "self": "[variables('self')]",
                    "copy": [{ "name": "subnets", "count": 2, "input": "[format('snet-{0}', copyIndex('subnets'))]" }]
                }
            }),
            text,
        )
    }

    #[test]
    fn parameters_variables_and_accessors() {
        assert_eq!(eval("[variables('prefix')]").unwrap(), json!("vnet-hub"));
        assert_eq!(eval("[parameters('net').name]").unwrap(), json!("vnet-a"));
        assert_eq!(eval("[parameters('net')['prefixes'][0]]").unwrap(), json!("10.0.0.0/16"));
        assert_eq!(eval("[variables('obj').a]").unwrap(), json!("hub"));
        assert_eq!(eval("[parameters('sku')]").unwrap(), json!("Standard"));
        assert_eq!(eval("[variables('subnets')]").unwrap(), json!(["snet-0", "snet-1"]));
        assert!(eval("[variables('self')]").unwrap_err().contains("refers to itself"));
        assert!(eval("[parameters('secret')]").unwrap_err().contains("has no value"));
    }

    #[test]
    fn string_functions_and_logic() {
        assert_eq!(eval("[format('{0}-{1}', 'a', 2)]").unwrap(), json!("a-2"));
        assert_eq!(eval("[toLower(toUpper('Ab'))]").unwrap(), json!("ab"));
        assert_eq!(eval("[split('a/b/c', '/')[2]]").unwrap(), json!("c"));
        assert_eq!(eval("[last(split('a/b/c', '/'))]").unwrap(), json!("c"));
        assert_eq!(eval("[replace('a-b', '-', '_')]").unwrap(), json!("a_b"));
        assert_eq!(eval("[and(true(), not(equals(1, 2)), or(false(), empty('')))]").unwrap(), json!(true));
        assert_eq!(eval("[length(union(createArray(1, 2), createArray(2, 3)))]").unwrap(), json!(3));
        assert_eq!(eval("[contains(createObject('k', 1), 'K')]").unwrap(), json!(true));
        assert_eq!(eval("[string(int('4'))]").unwrap(), json!("4"));
        assert_eq!(eval("[if(bool('true'), 'y', reference('x'))]").unwrap(), json!("y"));
        assert_eq!(eval("[first(createArray('x', 'y'))]").unwrap(), json!("x"));
        assert_eq!(eval("[union(createObject('a', 1), createObject('b', 2)).b]").unwrap(), json!(2));
        assert_eq!(
            eval("[map(createArray(1, 2), lambda('z', format('{0}', lambdaVariables('z'))))]").unwrap(),
            json!(["1", "2"])
        );
        assert_eq!(eval("[uniqueString('a')]").unwrap(), eval("[uniqueString('a')]").unwrap());
        assert_eq!(eval("[[not an expression]").unwrap(), json!("[not an expression]"));
        assert_eq!(eval("plain text").unwrap(), json!("plain text"));
    }

    #[test]
    fn ids_and_deployment_context() {
        assert_eq!(
            eval("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]").unwrap(),
            json!("/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/virtualNetworks/v/subnets/s")
        );
        assert_eq!(
            eval("[resourceId('other-sub', 'rg-2', 'Microsoft.Network/virtualNetworks', 'v')]").unwrap(),
            json!("/subscriptions/other-sub/resourceGroups/rg-2/providers/Microsoft.Network/virtualNetworks/v")
        );
        assert_eq!(
            eval("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r')]").unwrap(),
            json!("/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/r")
        );
        assert_eq!(
            eval("[extensionResourceId('/x/y', 'Microsoft.Authorization/locks', 'l')]").unwrap(),
            json!("/x/y/providers/Microsoft.Authorization/locks/l")
        );
        assert_eq!(eval("[resourceGroup().location]").unwrap(), json!("westeurope"));
        assert_eq!(eval("[subscription().subscriptionId]").unwrap(), json!("sub-1"));
        assert_eq!(eval("[deployment().name]").unwrap(), json!("dep"));
    }

    #[test]
    fn what_cannot_be_known_is_an_error_with_a_reason() {
        assert!(eval("[reference('x').ipAddress]").unwrap_err().contains("deployment time"));
        assert!(eval("[listKeys('x', '2020-01-01').keys[0]]").unwrap_err().contains("deployment time"));
        assert!(eval("[frobnicate(1)]").unwrap_err().contains("not supported"));
        assert!(eval("[deployment().properties.templateLink.uri]").is_err());
        assert!(eval("[concat('a']").is_err());
        assert_eq!(eval("[not closed").unwrap(), json!("[not closed"), "a literal, not an expression");
        assert!(eval("[copyIndex()]").unwrap_err().contains("outside a copy loop"));
    }

    #[test]
    fn child_types_and_names_resolve_against_the_parent() {
        let parent = ("Microsoft.Network/virtualNetworks".to_string(), vec!["v".to_string()]);
        assert_eq!(
            full_type_and_names("subnets", "s", Some(&parent)),
            ("Microsoft.Network/virtualNetworks/subnets".to_string(), vec!["v".to_string(), "s".to_string()])
        );
        assert_eq!(
            full_type_and_names("Microsoft.Network/virtualNetworks/subnets", "v/s", None).1,
            vec!["v".to_string(), "s".to_string()]
        );
    }
}
