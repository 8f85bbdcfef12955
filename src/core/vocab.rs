//! The names of the domain's field-less enums, written once. Each such enum derives its names
//! from `strum` (`IntoStaticStr` out, `EnumString` in, `VariantArray` for every variant in
//! declaration order); [`serde_by_name!`] makes serde write and read those same names, so the
//! record, the JSON output and the filter language cannot drift apart.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// Serialize and deserialize a `Copy`, field-less enum by its strum name (as a JSON string):
/// the enum needs `IntoStaticStr`, `EnumString` and `VariantArray`.
macro_rules! serde_by_name {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(<&'static str>::from(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::core::vocab::NameVisitor::<Self>::new())
            }
        }
    };
}
pub(crate) use serde_by_name;

/// Reads one of an enum's names (see [`serde_by_name!`]).
pub(crate) struct NameVisitor<T>(PhantomData<T>);

impl<T> NameVisitor<T> {
    pub(crate) const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> serde::de::Visitor<'_> for NameVisitor<T>
where
    T: FromStr + strum::VariantArray + Copy + Into<&'static str>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Names::<T>(PhantomData), f)
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        value.parse().map_err(|_| {
            E::custom(format_args!(
                "unknown variant `{value}`, expected {}",
                Names::<T>(PhantomData)
            ))
        })
    }
}

/// `` one of `a`, `b`, `c` `` for an enum's names.
struct Names<T>(PhantomData<T>);

impl<T: strum::VariantArray + Copy + Into<&'static str>> fmt::Display for Names<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one of ")?;
        for (i, variant) in T::VARIANTS.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            let name: &'static str = (*variant).into();
            write!(f, "`{name}`")?;
        }
        Ok(())
    }
}

/// Test support: every variant's name parses back to it, and the names are distinct.
#[cfg(test)]
pub(crate) fn assert_names_round_trip<T>()
where
    T: FromStr + strum::VariantArray + Copy + Into<&'static str> + PartialEq + fmt::Debug,
{
    let mut seen = std::collections::HashSet::new();
    for &variant in T::VARIANTS {
        let name: &'static str = variant.into();
        assert!(seen.insert(name), "{name} named twice");
        assert_eq!(name.parse::<T>().ok(), Some(variant), "{name}");
    }
    assert!("no such name".parse::<T>().is_err());
}

/// Test support: [`assert_names_round_trip`], and serde writes and reads those same names.
#[cfg(test)]
pub(crate) fn assert_serde_round_trip<T>()
where
    T: FromStr
        + strum::VariantArray
        + Copy
        + Into<&'static str>
        + PartialEq
        + fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    assert_names_round_trip::<T>();
    for &variant in T::VARIANTS {
        let name: &'static str = variant.into();
        let json = serde_json::to_value(variant).expect("serializes");
        assert_eq!(json, serde_json::Value::String(name.to_owned()));
        let back: T = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, variant);
        let text = serde_json::to_string(&variant).expect("serializes");
        assert_eq!(serde_json::from_str::<T>(&text).ok(), Some(variant));
    }
    let err = serde_json::from_str::<T>("\"no such name\"").expect_err("unknown name");
    assert!(
        err.to_string().contains("unknown variant `no such name`"),
        "{err}"
    );
}
