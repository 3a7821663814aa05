//! Enums chosen by name on the command line, declared where they belong (dsp, csvconv,
//! output), never mirrored in the CLI: [`named_enum!`] gives them `FromStr`, `Display`, their
//! list of names (for `--help` and completions) and `name()`, from one table.

/// A name that is not one of an enum's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{given}' is not one of: {}", expected.join(", "))]
pub struct UnknownName {
    pub given: String,
    pub expected: &'static [&'static str],
}

/// Declare a fieldless enum whose variants have names: `Variant = "name"`.
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The name users type for this variant.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::named::UnknownName;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::named::UnknownName {
                        given: text.to_string(),
                        expected: Self::NAMES,
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::named_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Fruit {
            /// Red.
            Apple = "apple",
            Pear = "pear",
        }
    }

    #[test]
    fn names_round_trip_and_unknown_names_list_the_choices() {
        assert_eq!(Fruit::NAMES, ["apple", "pear"]);
        for f in [Fruit::Apple, Fruit::Pear] {
            assert_eq!(f.to_string().parse::<Fruit>(), Ok(f));
        }
        let err = "plum".parse::<Fruit>().unwrap_err();
        assert_eq!(err.to_string(), "'plum' is not one of: apple, pear");
    }
}
