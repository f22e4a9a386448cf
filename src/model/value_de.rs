//! The design file's deserializer over a parsed JSON value: serde_json's `&Value` one, same
//! calls and same error messages, less the one thing a design file never is — a struct
//! written as a JSON array. Each model struct's derived `visit_seq` then has no caller, and
//! the page carries none of them (see BENCHMARKS.md, "Page").

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, Unexpected, VariantAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Error, Map, Value};

/// Deserializes a model type from `value` (what `T::deserialize(&value)` does).
pub(crate) struct ValueDe<'a>(pub(crate) &'a Value);

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
    let mut seq = Seq(items.iter());
    let it = visitor.visit_seq(&mut seq)?;
    match seq.0.len() {
        0 => Ok(it),
        _ => Err(de::Error::invalid_length(items.len(), &"fewer elements in array")),
    }
}

fn visit_object<'de, V: Visitor<'de>>(object: &'de Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
    let mut map = Entries { iter: object.iter(), value: None };
    let it = visitor.visit_map(&mut map)?;
    match map.iter.len() {
        0 => Ok(it),
        _ => Err(de::Error::invalid_length(object.len(), &"fewer elements in map")),
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(object) => visit_object(object, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// An object only: a struct as an array is refused with serde_json's wording for any
    /// other wrong type ("invalid type: sequence, expected struct Vm").
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(object) => visit_object(object, visitor),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    /// A string only (field names and enum variants), so the derived identifier visitors'
    /// byte and index forms have no caller either.
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let single = || de::Error::invalid_value(Unexpected::Map, &"map with a single key");
        let (variant, value) = match self.0 {
            Value::Object(object) => {
                let mut iter = object.iter();
                let (variant, value) = iter.next().ok_or_else(single)?;
                if iter.next().is_some() {
                    return Err(single());
                }
                (variant.as_str(), Some(value))
            }
            Value::String(variant) => (variant.as_str(), None),
            other => return Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        };
        visitor.visit_enum(Variant { variant, value })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map
    }
}

struct Seq<'de>(std::slice::Iter<'de, Value>);

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|value| seed.deserialize(ValueDe(value))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'de> {
    iter: serde_json::map::Iter<'de>,
    value: Option<&'de Value>,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(ValueDe(value)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Variant<'de> {
    variant: &'de str,
    value: Option<&'de Value>,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let variant = seed.deserialize(de::value::BorrowedStrDeserializer::new(self.variant))?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Some(value) => de::Deserialize::deserialize(ValueDe(value)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.value {
            Some(value) => seed.deserialize(ValueDe(value)),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Some(Value::Array(items)) if items.is_empty() => visitor.visit_unit(),
            Some(Value::Array(items)) => visit_array(items, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Some(Value::Object(object)) => visit_object(object, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(other), &"struct variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Design, Layout};
    use serde::de::DeserializeOwned;
    use serde_json::json;

    /// The same result as serde_json's own `&Value` deserializer: the value or the message.
    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(value: &Value) {
        let ours = T::deserialize(ValueDe(value)).map_err(|err| err.to_string());
        let theirs = T::deserialize(value).map_err(|err| err.to_string());
        assert_eq!(ours, theirs, "{value}");
    }

    #[test]
    fn reads_and_refuses_like_serde_json() {
        let design = (crate::scenarios::by_name(crate::scenarios::DEFAULT).expect("default scenario").build)();
        let good = serde_json::to_value(&design).expect("design as JSON");
        same::<Design>(&good);
        let edits: Vec<(&str, Value)> = vec![
            ("/vnets/0/name", json!(7)),
            ("/vnets/0/address_space", json!("10.0.0.0/99")),
            ("/vnets/0/adress_space", json!([])),
            ("/bastions/0/scale_units", json!("two")),
            ("/bastions/0/scale_units", json!(-3)),
            ("/bastions/0/scale_units", json!(2.5)),
            ("/bastions/0/scale_units", json!(70000)),
            ("/bastions/0/sku", json!("Platinum")),
            ("/bastions/0/sku", json!({ "Basic": 1 })),
            ("/bastions/0/sku", json!(null)),
            ("/vms/0/nic", json!(null)),
            ("/vms/0/sign_in", json!({ "kind": "ssh_key_in_key_vault" })),
            ("/vms/0/sign_in", json!({ "kind": "teleport" })),
            ("/vms/0/sign_in", json!("password")),
            ("/vnets", json!({})),
            ("/vms/0/os", json!(true)),
        ];
        for (pointer, replacement) in edits {
            let mut value = good.clone();
            let (parent, key) = pointer.rsplit_once('/').expect("pointer");
            match value.pointer_mut(parent) {
                Some(Value::Object(fields)) => {
                    fields.insert(key.to_string(), replacement);
                }
                Some(Value::Array(items)) => items[key.parse::<usize>().expect("index")] = replacement,
                _ => panic!("no {parent} in the default scenario"),
            }
            same::<Design>(&value);
        }
        same::<Layout>(&json!({ "vnet:a": { "x": 1.5, "y": -2 } }));
        same::<Layout>(&json!({ "vnet:a": { "x": "left", "y": 0 } }));
        same::<Layout>(&json!([]));
    }

    #[test]
    fn a_struct_written_as_an_array_is_a_wrong_type() {
        let value = json!({ "vms": [["vm-app1", "sub"]] });
        let err = <Design as serde::Deserialize>::deserialize(ValueDe(&value)).expect_err("an array is not a VM");
        assert_eq!(err.to_string(), "invalid type: sequence, expected struct Vm");
    }
}
