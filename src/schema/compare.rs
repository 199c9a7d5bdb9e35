//! The one order over JSON numbers that filters (`eq`, `gt`, `ge`, `lt`, `le`) and `sortBy`
//! share, and that any translation of filters to another language (SQL) must reproduce.

use std::cmp::Ordering;

use serde_json::Number;

/// Compares two JSON numbers by their exact mathematical value.
///
/// The rule, in one place:
/// - integers (`i64`, `u64`) compare exactly with each other, as 128-bit integers;
/// - an integer and a float compare exactly too: `9007199254740993` (2^53 + 1) is greater than
///   `9007199254740992.0`, although both convert to the same `f64`;
/// - floats compare by value, so `0.0` equals `-0.0` and `1.0` equals `1`;
/// - a number with no finite value (possible only with serde_json's `arbitrary_precision`
///   feature, `1e400`) is greater than every finite one and equal to every other such number.
///
/// This is a total order (antisymmetric, transitive, `Equal` exactly for equal values), so
/// sorting by it cannot panic. Converting both sides to `f64` is not: 2^53 + 1 > 2^53 as
/// integers, yet both equal 2^53 as floats.
///
/// ```
/// use std::cmp::Ordering;
/// use scimkit::schema::compare_numbers;
/// use serde_json::json;
///
/// let n = |v: serde_json::Value| v.as_number().unwrap().clone();
/// assert_eq!(compare_numbers(&n(json!(9007199254740993u64)), &n(json!(9007199254740992.0))), Ordering::Greater);
/// assert_eq!(compare_numbers(&n(json!(1)), &n(json!(1.0))), Ordering::Equal);
/// assert_eq!(compare_numbers(&n(json!(-1)), &n(json!(-0.5))), Ordering::Less);
/// ```
pub fn compare_numbers(a: &Number, b: &Number) -> Ordering {
    match (exact(a), exact(b)) {
        (Exact::Int(x), Exact::Int(y)) => x.cmp(&y),
        (Exact::Int(x), Exact::Float(y)) => int_cmp_float(x, y),
        (Exact::Float(x), Exact::Int(y)) => int_cmp_float(y, x).reverse(),
        // Both finite (NaN and infinities are `Exact::Top`): `partial_cmp` is total here and
        // makes `-0.0` equal `0.0`.
        (Exact::Float(x), Exact::Float(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Exact::Top, Exact::Top) => Ordering::Equal,
        (Exact::Top, _) => Ordering::Greater,
        (_, Exact::Top) => Ordering::Less,
    }
}

enum Exact {
    Int(i128),
    Float(f64),
    Top,
}

fn exact(n: &Number) -> Exact {
    if let Some(i) = n.as_i64() {
        Exact::Int(i.into())
    } else if let Some(u) = n.as_u64() {
        Exact::Int(u.into())
    } else {
        match n.as_f64() {
            Some(f) if f.is_finite() => Exact::Float(f),
            _ => Exact::Top,
        }
    }
}

/// `x` against the finite float `f`, exactly.
fn int_cmp_float(x: i128, f: f64) -> Ordering {
    // 2^127: every i128 is below it, every finite float at or past ±2^127 is out of range.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if f >= LIMIT {
        return Ordering::Less;
    }
    if f < -LIMIT {
        return Ordering::Greater;
    }
    let whole = f.trunc();
    // In range and integral, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation)]
    let w = whole as i128;
    x.cmp(&w).then_with(|| {
        // x equals the integral part: the fraction decides.
        0.0f64.partial_cmp(&(f - whole)).unwrap_or(Ordering::Equal)
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Number, json};

    use super::*;

    /// Numbers that collide as `f64`: around 2^53, 2^63, 2^64, zero and the extremes.
    fn number() -> impl Strategy<Value = Number> {
        let near = |base: i128| (-3i128..=3).prop_map(move |d| base + d);
        prop_oneof![
            near(1 << 53).prop_filter_map("u64", |v| u64::try_from(v).ok().map(Number::from)),
            near(-(1 << 53)).prop_filter_map("i64", |v| i64::try_from(v).ok().map(Number::from)),
            near(1 << 63).prop_filter_map("u64", |v| u64::try_from(v).ok().map(Number::from)),
            near(i128::from(u64::MAX) - 3)
                .prop_filter_map("u64", |v| u64::try_from(v).ok().map(Number::from)),
            near(i128::from(i64::MIN) + 3)
                .prop_filter_map("i64", |v| i64::try_from(v).ok().map(Number::from)),
            (-3i64..=3).prop_map(Number::from),
            prop::sample::select(vec![
                9_007_199_254_740_992.0,
                9_007_199_254_740_994.0,
                -9_007_199_254_740_992.0,
                9_223_372_036_854_775_808.0,
                18_446_744_073_709_551_616.0,
                -9_223_372_036_854_775_808.0,
                0.0,
                -0.0,
                0.5,
                -0.5,
                2.5,
                1e300,
                -1e300,
                f64::MIN_POSITIVE,
            ])
            .prop_filter_map("finite", Number::from_f64),
            any::<f64>().prop_filter_map("finite", Number::from_f64),
            any::<i64>().prop_map(Number::from),
            any::<u64>().prop_map(Number::from),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        /// Antisymmetric, transitive, and `Equal` exactly when the values are equal.
        #[test]
        fn compare_numbers_is_a_total_order(a in number(), b in number(), c in number()) {
            let (ab, ba) = (compare_numbers(&a, &b), compare_numbers(&b, &a));
            prop_assert_eq!(ab, ba.reverse(), "{} {}", a, b);
            prop_assert_eq!(compare_numbers(&a, &a), Ordering::Equal);
            let bc = compare_numbers(&b, &c);
            if ab == bc {
                prop_assert_eq!(compare_numbers(&a, &c), ab, "{} {} {}", a, b, c);
            }
            if ab == Ordering::Equal {
                prop_assert_eq!(compare_numbers(&a, &c), bc, "{} {} {}", a, b, c);
            }
            prop_assert_eq!(ab == Ordering::Equal, value(&a) == value(&b), "{} {}", a, b);
        }
    }

    /// The exact value of a number as a reduced fraction's sign and digits, by another route
    /// than the one under test: an integer, or a float's `i128` mantissa and exponent.
    fn value(n: &Number) -> (i128, i32) {
        let (mut m, mut e) = if let Some(i) = n.as_i64() {
            (i128::from(i), 0)
        } else if let Some(u) = n.as_u64() {
            (i128::from(u), 0)
        } else {
            let f = n.as_f64().unwrap();
            if f == 0.0 {
                return (0, 0);
            }
            let bits = f.to_bits();
            let exp = i32::try_from((bits >> 52) & 0x7ff).unwrap();
            let frac = i128::from(bits & ((1 << 52) - 1));
            let (m, e) = if exp == 0 {
                (frac, -1074)
            } else {
                (frac | (1 << 52), exp - 1075)
            };
            (if f < 0.0 { -m } else { m }, e)
        };
        if m == 0 {
            return (0, 0);
        }
        while m % 2 == 0 {
            m /= 2;
            e += 1;
        }
        // Large positive exponents: scale into the mantissa while it fits, so integers and
        // integral floats meet in one form.
        while e > 0 && m.unsigned_abs() < (1 << 100) {
            m *= 2;
            e -= 1;
        }
        (m, e)
    }

    #[test]
    fn integers_and_floats_compare_exactly() {
        let n = |v: serde_json::Value| v.as_number().unwrap().clone();
        let two53 = n(json!(9_007_199_254_740_992u64));
        let two53_1 = n(json!(9_007_199_254_740_993u64));
        let float53 = n(json!(9_007_199_254_740_992.0));
        assert_eq!(compare_numbers(&two53_1, &float53), Ordering::Greater);
        assert_eq!(compare_numbers(&two53, &float53), Ordering::Equal);
        assert_eq!(compare_numbers(&two53_1, &two53), Ordering::Greater);
        assert_eq!(
            compare_numbers(&n(json!(u64::MAX)), &n(json!(18_446_744_073_709_551_616.0))),
            Ordering::Less
        );
        assert_eq!(
            compare_numbers(&n(json!(i64::MIN)), &n(json!(-9_223_372_036_854_775_808.0))),
            Ordering::Equal
        );
        assert_eq!(
            compare_numbers(&n(json!(-0.0)), &n(json!(0))),
            Ordering::Equal
        );
        assert_eq!(
            compare_numbers(&n(json!(2)), &n(json!(2.5))),
            Ordering::Less
        );
        assert_eq!(
            compare_numbers(&n(json!(-2)), &n(json!(-2.5))),
            Ordering::Greater
        );
        assert_eq!(
            compare_numbers(&n(json!(3)), &n(json!(1e300))),
            Ordering::Less
        );
        assert_eq!(
            compare_numbers(&n(json!(3)), &n(json!(-1e300))),
            Ordering::Greater
        );
    }
}
