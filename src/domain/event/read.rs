//! Hand-written rather than serde's `tag = "type"` derive because measured: 100k events parse in 62 ms, not 135.
//!
//! Reading an event: its `type` first, as gavel writes it, then its fields
//! straight into the event. An object with its `type` elsewhere (a journal
//! written by hand, say) is read too, the slow way.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::{Event, NAMES, read_fields};

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Event, D::Error> {
        d.deserialize_map(EventVisitor)
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = Event;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event: an object with its \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
        match map.next_key::<Key>()? {
            Some(Key::Type) => {
                let Name(name) = map.next_value()?;
                read_fields(name, map)
            }
            Some(Key::Other(first)) => type_elsewhere(first, map),
            None => Err(de::Error::missing_field("type")),
        }
    }
}

/// The fields gathered whole, to find the `type` among them.
fn type_elsewhere<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<Event, A::Error> {
    let mut object = serde_json::Map::new();
    object.insert(first, map.next_value()?);
    while let Some(key) = map.next_key::<String>()? {
        if object.contains_key(&key) {
            return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
        }
        let value = map.next_value()?;
        object.insert(key, value);
    }
    let name = match object.remove("type") {
        Some(serde_json::Value::String(name)) => name,
        Some(other) => {
            return Err(de::Error::invalid_type(
                unexpected(&other),
                &"an event's type",
            ));
        }
        None => return Err(de::Error::missing_field("type")),
    };
    let rest = de::value::MapDeserializer::new(object.into_iter());
    read_fields(&name, rest).map_err(de::Error::custom)
}

fn unexpected(value: &serde_json::Value) -> de::Unexpected<'_> {
    match value {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Bool(b) => de::Unexpected::Bool(*b),
        serde_json::Value::Number(_) => de::Unexpected::Other("a number"),
        serde_json::Value::String(s) => de::Unexpected::Str(s),
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
    }
}

/// A key, kept only when it is not `type`: the usual case allocates nothing.
enum Key {
    Type,
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "type" => Key::Type,
                    other => Key::Other(other.to_owned()),
                })
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// An event's `type`, as one of the names gavel writes.
struct Name(&'static str);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        struct NameVisitor;
        impl Visitor<'_> for NameVisitor {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event's type")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Name, E> {
                NAMES
                    .iter()
                    .find(|known| **known == name)
                    .map(|known| Name(known))
                    .ok_or_else(|| de::Error::unknown_variant(name, NAMES))
            }
        }
        d.deserialize_str(NameVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Event, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn the_type_may_come_anywhere() {
        let first = read(r#"{"type":"moved","speech":3,"to":1}"#).unwrap();
        let last = read(r#"{"speech":3,"to":1,"type":"moved"}"#).unwrap();
        assert_eq!(first, Event::Moved { speech: 3, to: 1 });
        assert_eq!(last, first);
    }

    #[test]
    fn what_gavel_does_not_write_is_refused() {
        for (json, why) in [
            (
                r#"{"type":"moved","speech":3,"to":1,"x":0}"#,
                "unknown field `x`",
            ),
            (
                r#"{"speech":3,"x":0,"to":1,"type":"moved"}"#,
                "unknown field `x`",
            ),
            (
                r#"{"type":"moved","speech":3,"to":1,"type":"moved"}"#,
                "unknown field `type`",
            ),
            (
                r#"{"speech":3,"type":"moved","to":1,"type":"moved"}"#,
                "duplicate field `type`",
            ),
            (r#"{"speech":3,"to":1}"#, "missing field `type`"),
            (r#"{}"#, "missing field `type`"),
            (r#"{"type":"shouted"}"#, "unknown variant `shouted`"),
            (r#"{"to":1,"type":"shouted"}"#, "unknown variant `shouted`"),
            (r#"{"to":1,"type":2}"#, "expected an event's type"),
            (r#"{"type":"moved","speech":3}"#, "missing field `to`"),
            (r#"["moved",3,1]"#, "expected an event"),
        ] {
            let error = read(json).unwrap_err();
            assert!(error.contains(why), "{json}: {error}");
        }
    }
}
