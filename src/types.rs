//! Wire enums generated from `openapi.yaml` by `build.rs`.
//!
//! Every enum carries an `Unknown` variant: the service adds engines, statuses and
//! error codes over time, and an SDK that fails to decode a response because of a
//! new value would turn a harmless addition into an outage.
//!
//! ```
//! use ugc_video::types::Engine;
//!
//! assert_eq!(Engine::from_wire("sora"), Engine::Sora);
//! let future = Engine::from_wire("wan-3");
//! assert!(!future.is_known());
//! assert_eq!(future.as_str(), "wan-3");
//! assert_eq!(serde_json::to_string(&Engine::Veo).unwrap(), "\"veo\"");
//! ```

use std::fmt;

/// A wire value the SDK does not know. Only the SDK constructs it, so a known value
/// can never hide inside `Unknown` and compare unequal to its own variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// The value exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! wire_enum_impls {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from_wire(s)
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from_wire(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/enums.rs"));
